import assert from 'node:assert/strict';
import { localNodeName, parseLocalAgent } from '../../../cli/local-agent.js';

describe('the local agent of `flotilla hub`', () => {
  it('names the node after the host, as a DNS-1123 subdomain', () => {
    assert.equal(localNodeName('Line3-Gateway'), 'line3-gateway');
    assert.equal(localNodeName('hall_3 gw.plant.example'), 'hall-3-gw.plant.example');
    assert.equal(localNodeName('-edge-'), 'edge');
    assert.equal(localNodeName('___'), 'flotilla-hub');
  });

  it('takes auto, on or off and names the flag otherwise', () => {
    assert.equal(parseLocalAgent('auto'), 'auto');
    assert.equal(parseLocalAgent('off'), 'off');
    assert.throws(
      () => parseLocalAgent('yes'),
      /--local-agent: Unsupported value: "yes": supported values: "auto", "on", "off"/,
    );
  });
});
