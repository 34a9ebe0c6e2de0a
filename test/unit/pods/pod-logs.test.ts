import assert from 'node:assert/strict';
import { formatLog, parseCriLog } from '../../../edge-agent/pods/pod-logs.js';
import { aContainer, aPod, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

describe('container logs', () => {
  it('parses CRI log lines, joining partial lines per stream', () => {
    const text = [
      '2026-01-01T00:00:00.000000001Z stdout F first',
      '2026-01-01T00:00:00.000000002Z stdout P sec',
      '2026-01-01T00:00:00.000000003Z stderr F oops',
      '2026-01-01T00:00:00.000000004Z stdout F ond',
      '2026-01-01T00:00:00.000000005Z stdout F ',
      '',
    ].join('\n');
    assert.deepEqual(parseCriLog(text), ['first', 'oops', 'second', '']);
    assert.equal(formatLog(['a', 'b', 'c'], 2), 'b\nc\n');
    assert.equal(formatLog(['a'], 0), '');
  });

  describe('readLogs', () => {
    let h: PodHarness;

    beforeEach(async () => {
      h = await aHarness();
    });

    afterEach(async () => {
      await h.cleanup();
    });

    it('reads the current instance, its tail, and the previous one', async () => {
      h.setDesired(desiredState([aPod()]));
      await h.sync(3);
      const first = await h.running('app');
      await h.runtime.emitLog(first.id, 'stdout', 'run 1 line 1');
      await h.runtime.emitLog(first.id, 'stderr', 'run 1 line 2');
      h.runtime.exitContainer(first.id, 1);
      await h.sync(3);
      const second = await h.running('app');
      await h.runtime.emitLog(second.id, 'stdout', 'run 2 line 1');
      await h.runtime.emitLog(second.id, 'stdout', 'run 2 line 2');
      assert.equal(await h.manager.readLogs('default', 'web', undefined, {}), 'run 2 line 1\nrun 2 line 2\n');
      assert.equal(await h.manager.readLogs('default', 'web', 'app', { tailLines: 1 }), 'run 2 line 2\n');
      assert.equal(
        await h.manager.readLogs('default', 'web', 'app', { previous: true }),
        'run 1 line 1\nrun 1 line 2\n',
      );
    });

    it('answers like the kubelet when there is nothing to read', async () => {
      const pod = aPod('two', {
        containers: [
          aContainer('a'),
          aContainer('b', { image: 'docker.io/flotilla/missing:1', imagePullPolicy: 'Never' }),
        ],
      });
      h.setDesired(desiredState([pod]));
      await h.sync(3);
      await assert.rejects(h.manager.readLogs('default', 'nope', undefined, {}), /pods "nope" not found/);
      await assert.rejects(
        h.manager.readLogs('default', 'two', undefined, {}),
        /a container name must be specified for pod two, choose one of: \[a b\]/,
      );
      await assert.rejects(
        h.manager.readLogs('default', 'two', 'a', { previous: true }),
        /previous terminated container "a" in pod "two" not found/,
      );
      await assert.rejects(
        h.manager.readLogs('default', 'two', 'b', {}),
        /container "b" in pod "two" is waiting to start: ErrImageNeverPull/,
      );
    });
  });
});
