import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/types.js';
import { validateSite } from '../../../api/validation/site.js';

const aSite = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'flotilla.io/v1alpha1',
  kind: 'Site',
  metadata: { name: 'plant-a' },
  spec,
});

const fields = (spec: Record<string, unknown>) =>
  validateSite(aSite(spec)).map((e) => `${e.field}: ${e.message}`);

describe('Site validation', () => {
  it('accepts a site with pools inside its networks', () => {
    assert.deepEqual(
      fields({
        region: 'eu-west',
        zone: 'hall-3',
        networks: ['172.30.5.0/24'],
        gateways: { names: ['gw-1'], selector: { matchLabels: { site: 'a' } } },
        addressPools: [
          { name: 'default', addresses: ['172.30.5.200-172.30.5.220', '172.30.5.240/29', '172.30.5.9'] },
        ],
        poweredOff: ['gw-1'],
      }),
      [],
    );
  });

  it('names the field of an address outside every site network, and of overlapping pools', () => {
    const errs = validateSite(
      aSite({
        networks: ['172.30.5.0/24'],
        addressPools: [
          { name: 'a', addresses: ['172.30.6.1'] },
          { name: 'b', addresses: ['172.30.5.8/29', '172.30.5.10-172.30.5.12'] },
        ],
      }),
    );
    assert.deepEqual(
      errs.map((e) => e.field),
      ['spec.addressPools[0].addresses[0]', 'spec.addressPools[1].addresses[1]'],
    );
    assert.match(errs[0]!.message, /must be inside one of spec\.networks/);
    assert.match(errs[1]!.message, /overlaps spec\.addressPools\[1\]\.addresses\[0\]/);
  });

  it('refuses malformed networks, ranges, pool names and gateway lists', () => {
    const errs = validateSite(
      aSite({
        networks: ['172.30.5.0/33'],
        gateways: { names: ['gw-1', 'gw-1'] },
        addressPools: [{ name: 'Bad_Name', addresses: ['172.30.5.20-172.30.5.10'] }, { addresses: [] }],
        decommissioned: ['gw-2'],
        poweredOff: ['gw-2'],
      }),
    );
    assert.deepEqual(
      errs.map((e) => e.field),
      [
        'spec.networks[0]',
        'spec.gateways.names[1]',
        'spec.poweredOff[0]',
        'spec.addressPools[0].name',
        'spec.addressPools[0].addresses[0]',
        'spec.addressPools[1].name',
        'spec.addressPools[1].addresses',
      ],
    );
  });
});
