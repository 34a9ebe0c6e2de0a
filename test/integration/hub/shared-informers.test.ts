import assert from 'node:assert/strict';
import { Informer } from '../../../hub/client/informer.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

describe('The hub keeps one informer cache', () => {
  let t: TestHub | undefined;
  const started: string[] = [];
  const originalStart = Informer.prototype.start;
  before(() => {
    Informer.prototype.start = function (this: Informer) {
      started.push(this.resource);
      originalStart.call(this);
    };
  });
  after(async () => {
    Informer.prototype.start = originalStart;
    await t?.close();
  });

  it('controllers, scheduler and edge sync share one informer per resource', async () => {
    t = await startTestHub(undefined, { controllers: 'all' });
    const perResource = new Map<string, number>();
    for (const resource of started) perResource.set(resource, (perResource.get(resource) ?? 0) + 1);
    const twice = [...perResource].filter(([, n]) => n > 1).map(([r]) => r);
    assert.ok(perResource.has('pods') && perResource.has('nodes'), 'pods and nodes are cached');
    assert.deepEqual(twice, []);
  });
});
