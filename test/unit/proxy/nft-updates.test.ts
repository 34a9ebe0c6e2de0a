import assert from 'node:assert/strict';
import { parseAffinityMap, staleAffinityKeys } from '../../../edge-agent/proxy/nft-affinity.js';
import { renderNftPort } from '../../../edge-agent/proxy/nft-fragment.js';
import { buildNftRuleset } from '../../../edge-agent/proxy/nft-ruleset.js';
import { applyHairpinDelta, type NftInstalled, nftUpdate } from '../../../edge-agent/proxy/nft-update.js';
import { buildServiceModel } from '../../../edge-agent/proxy/service-model.js';
import type { ServicePort } from '../../../edge-agent/proxy/service-port.js';
import { aService, aSlice, node } from './proxy-builders.js';

function port(name: string, ip: string, endpointIPs: string[], affinity?: number): ServicePort {
  const svc = aService(name, ip);
  if (affinity) {
    svc.spec.sessionAffinity = 'ClientIP';
    svc.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: affinity } };
  }
  const slice = aSlice(
    name,
    endpointIPs.map((e) => ({ ip: e })),
  );
  return buildServiceModel([svc], [slice], node.name).ports[0]!;
}

const render = (p: ServicePort) => renderNftPort(p, node);
/** What a full sync of `ports` leaves installed. */
const installedWith = (...ports: ServicePort[]) => buildNftRuleset(ports, node).installed;

function script(changes: Parameters<typeof nftUpdate>[0], installed: NftInstalled): string[] {
  const result = nftUpdate(changes, installed);
  assert.ok('script' in result, `asked for a full sync: ${'fullSync' in result ? result.fullSync : ''}`);
  return result.script.trim().split('\n');
}

describe('nftables updates', () => {
  it('deletes and adds only the elements that changed, in one transaction', () => {
    const old = port('web', '10.96.0.5', ['10.244.1.5', '10.244.1.6']);
    const after = render(port('web', '10.96.0.5', ['10.244.1.5', '10.244.1.6', '10.244.1.7']));
    const out = script([{ before: render(old), after }], installedWith(old));
    assert.deepEqual(out, [
      'delete element ip flotilla cluster-ips { 10.96.0.5 . tcp . 80 }',
      'add element ip flotilla cluster-ips { 10.96.0.5 . tcp . 80 : goto dnat-3 }',
      'add element ip flotilla endpoints { 10.96.0.5 . tcp . 80 . 2 : 10.244.1.7 . 8080 }',
      'add element ip flotilla hairpin { 10.244.1.7 . 10.244.1.7 }',
    ]);
  });

  it('keeps an endpoint address in the hairpin set while another Service still uses it', () => {
    const [portA, portB] = [port('a', '10.96.0.1', ['10.244.1.5']), port('b', '10.96.0.2', ['10.244.1.5'])];
    const [a, b] = [render(portA), render(portB)];
    const installed = installedWith(portA, portB);
    const out = script([{ before: a }], installed);
    assert.ok(!out.some((l) => l.includes('hairpin')));
    const result = nftUpdate([{ before: a }], installed);
    assert.ok('hairpinDelta' in result);
    applyHairpinDelta(installed.hairpin, result.hairpinDelta);
    const last = script([{ before: b }], installed);
    assert.ok(last.includes('delete element ip flotilla hairpin { 10.244.1.5 . 10.244.1.5 }'));
  });

  it('moves a Service from a reject to a dnat when its first endpoint comes', () => {
    const old = port('web', '10.96.0.5', []);
    const after = render(port('web', '10.96.0.5', ['10.244.1.5']));
    const out = script([{ before: render(old), after }], installedWith(old));
    assert.ok(out.includes('delete element ip flotilla no-endpoints { 10.96.0.5 . tcp . 80 }'));
    assert.ok(out.includes('add element ip flotilla cluster-ips { 10.96.0.5 . tcp . 80 : goto dnat-1 }'));
  });

  it('asks for a full sync when a port needs a chain or an affinity set the table lacks', () => {
    const big = render(
      port(
        'big',
        '10.96.0.9',
        Array.from({ length: 20 }, (_, i) => `10.244.1.${i + 2}`),
      ),
    );
    const result = nftUpdate([{ after: big }], installedWith());
    assert.deepEqual(result, { fullSync: 'chain dnat-20 is new' });
    const sticky = render(port('sticky', '10.96.0.8', ['10.244.1.5'], 30));
    assert.deepEqual(nftUpdate([{ after: sticky }], installedWith()), {
      fullSync: 'affinity timeout 30s is new',
    });
  });

  it("finds sticky clients whose endpoint is gone, and only those of the changed Service's frontends", () => {
    const listing = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        {
          map: {
            name: 'affinity',
            elem: [
              [
                { elem: { val: { concat: ['192.168.1.50', '10.96.0.5', 'tcp', 80] }, timeout: 60 } },
                { concat: ['10.244.1.6', 8080] },
              ],
              [
                { elem: { val: { concat: ['192.168.1.51', '10.96.0.5', 'tcp', 80] }, timeout: 60 } },
                { concat: ['10.244.1.5', 8080] },
              ],
              [
                { elem: { val: { concat: ['192.168.1.50', '10.96.0.9', 'tcp', 80] }, timeout: 60 } },
                { concat: ['10.244.1.6', 8080] },
              ],
            ],
          },
        },
      ],
    });
    const entries = parseAffinityMap(listing);
    assert.equal(entries.length, 3);
    const before = port('web', '10.96.0.5', ['10.244.1.5', '10.244.1.6'], 60);
    const after = port('web', '10.96.0.5', ['10.244.1.5'], 60);
    assert.deepEqual(staleAffinityKeys(entries, [{ before, after }], node.addresses), [
      '192.168.1.50 . 10.96.0.5 . tcp . 80',
    ]);
    assert.deepEqual(staleAffinityKeys(entries, [{ before }], node.addresses), [
      '192.168.1.50 . 10.96.0.5 . tcp . 80',
      '192.168.1.51 . 10.96.0.5 . tcp . 80',
    ]);
  });
});
