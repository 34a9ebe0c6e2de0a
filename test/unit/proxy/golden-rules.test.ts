// The rule builders' output for each scenario, compared with golden files under golden/: the
// iptables-restore payload of a first full sync, the nft commands that add the scenario's
// elements to an empty table, and the complete nft ruleset of every scenario at once. After an intended change,
// regenerate with UPDATE_GOLDEN=1 npx mocha test/unit/proxy/golden-rules.test.ts and review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderIptablesPort } from '../../../edge-agent/proxy/iptables-fragment.js';
import { fullPayload } from '../../../edge-agent/proxy/iptables-payload.js';
import { renderNftPort } from '../../../edge-agent/proxy/nft-fragment.js';
import { buildNftRuleset } from '../../../edge-agent/proxy/nft-ruleset.js';
import { nftUpdate } from '../../../edge-agent/proxy/nft-update.js';
import { buildServiceModel } from '../../../edge-agent/proxy/service-model.js';
import { node } from './proxy-builders.js';
import { everything, type Scenario, scenarios } from './proxy-scenarios.js';

const goldenDir = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function matchesGolden(file: string, actual: string): void {
  const path = join(goldenDir, file);
  if (update) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(path, 'utf8'), `differs from golden/${file}`);
}

function ports(scenario: Scenario) {
  const model = buildServiceModel(scenario.services, scenario.slices, node.name);
  assert.deepEqual(model.problems, []);
  return model.ports;
}

const nothingInstalled = { chains: { nat: [], filter: [] }, hooks: [] };

describe('service proxy rules (golden files)', () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: the iptables-restore payload`, () => {
      const fragments = ports(scenario).map((port) => renderIptablesPort(port, node));
      matchesGolden(`${scenario.name}.iptables`, fullPayload(fragments, nothingInstalled));
    });

    it(`${scenario.name}: the nft elements adding it`, () => {
      const list = ports(scenario);
      const fragments = list.map((port) => renderNftPort(port, node));
      // A table with the chains and affinity sets it needs, and no elements yet.
      const empty = { ...buildNftRuleset(list, node).installed, hairpin: new Map<string, number>() };
      const result = nftUpdate(
        fragments.map((after) => ({ after })),
        empty,
      );
      assert.ok('script' in result);
      matchesGolden(`${scenario.name}.nft`, result.script);
    });
  }

  it('every scenario at once: the complete nftables ruleset', () => {
    matchesGolden('everything.nft', buildNftRuleset(ports(everything), node).text);
  });

  it('every scenario at once: the complete iptables-restore payload', () => {
    const fragments = ports(everything).map((port) => renderIptablesPort(port, node));
    matchesGolden('everything.iptables', fullPayload(fragments, nothingInstalled));
  });
});
