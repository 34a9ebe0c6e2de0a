import assert from 'node:assert/strict';
import { hubNodeFlags, runsWithHubFlags } from '../../../cli/hub-heap.js';

describe('the hub heap flags', () => {
  it('counts a flag given on the command line or in NODE_OPTIONS, whatever its value', () => {
    assert.equal(runsWithHubFlags([...hubNodeFlags], ''), true);
    assert.equal(runsWithHubFlags(['--max-semi-space-size=32'], ''), true, "the user's own value stands");
    assert.equal(runsWithHubFlags([], ` --enable-source-maps  ${hubNodeFlags.join(' ')} `), true);
  });

  it('asks for a relaunch when a flag is missing', () => {
    assert.equal(runsWithHubFlags([], ''), false);
    assert.equal(
      runsWithHubFlags(['--max-old-space-size=4096', '--cpu-prof'], '--enable-source-maps'),
      false,
    );
    assert.equal(runsWithHubFlags(['--max-semi-space'], ''), false, 'a prefix is not the flag');
  });
});
