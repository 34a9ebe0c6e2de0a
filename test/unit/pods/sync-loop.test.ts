import assert from 'node:assert/strict';
import { silentLogger } from '../../../api/logger.js';
import { SyncLoop } from '../../../edge-agent/pods/sync-loop.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';

describe('SyncLoop', () => {
  it('runs a pass at start, then one per interval', async () => {
    let passes = 0;
    const loop = new SyncLoop(async () => passes++, 30, silentLogger);
    await loop.start();
    assert.equal(passes, 1);
    await eventually(() => passes >= 3);
    await loop.stop();
    const stoppedAt = passes;
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(passes, stoppedAt);
  });

  it('follows a pass with another when asked during it, without waiting for the interval', async () => {
    let passes = 0;
    let release: () => void = () => {};
    const loop = new SyncLoop(
      async () => {
        passes++;
        if (passes === 2) {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        }
      },
      60_000,
      silentLogger,
    );
    await loop.start();
    loop.request();
    await eventually(() => passes === 2);
    loop.request();
    loop.request();
    release();
    await eventually(() => passes === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(passes, 3, 'requests during a pass coalesce into one');
    await loop.stop();
  });

  it('logs a failed pass and keeps going', async () => {
    const lines: string[] = [];
    let passes = 0;
    const loop = new SyncLoop(
      async () => {
        passes++;
        throw new Error('boom');
      },
      20,
      captureLogger(lines).child('kubelet'),
    );
    await loop.start();
    await eventually(() => passes >= 2);
    await loop.stop();
    assert.equal(lines[0], 'kubelet: pod sync pass failed: boom');
  });
});
