import assert from 'node:assert/strict';
import { FuzzClient } from '../../fuzz/fuzz-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { w: 'yes' } },
  data,
});
const base = '/api/v1/namespaces/default/configmaps';

describe('API server: watch', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
  });
  after(async () => {
    await t.close();
  });

  it('streams ADDED, MODIFIED and DELETED after a list, with no gap', async () => {
    await t.api.post(base, cm('before'));
    const list = (await t.api.get(base)).json();
    await t.api.post(base, cm('between')); // written after the list, before the watch starts
    const watch = t.api.stream(`${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    try {
      await t.api.put(`${base}/between`, {
        ...(await t.api.get(`${base}/between`)).json(),
        data: { x: '1' },
      });
      await t.api.delete(`${base}/between`);
      await eventually(() => watch.events.length >= 3);
      assert.deepEqual(
        watch.events.map((e) => `${e.type} ${e.object.metadata.name}`),
        ['ADDED between', 'MODIFIED between', 'DELETED between'],
      );
      const rvs = watch.events.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(
        [...rvs].sort((a, b) => a - b),
        rvs,
      );
    } finally {
      watch.stop();
    }
  });

  it('starts with ADDED for every existing object when no resourceVersion is given', async () => {
    const watch = t.api.stream(`${base}?watch=true&labelSelector=w%3Dyes`);
    try {
      await eventually(() => watch.events.some((e) => e.object.metadata.name === 'before'));
      assert.equal(watch.events[0].type, 'ADDED');
    } finally {
      watch.stop();
    }
  });

  it('ends with a 410 Expired ERROR event for a resourceVersion the store no longer holds', async () => {
    // After a restart the store's event log starts at the current version: older ones are gone.
    t = await t.restart();
    const watch = t.api.stream(`${base}?watch=true&resourceVersion=1`);
    await watch.ended;
    assert.equal(watch.events.length, 1);
    assert.equal(watch.events[0].type, 'ERROR');
    assert.equal(watch.events[0].object.code, 410);
    assert.equal(watch.events[0].object.reason, 'Expired');
  });

  it('ends after timeoutSeconds', async () => {
    const list = (await t.api.get(base)).json();
    const watch = t.api.stream(
      `${base}?watch=true&timeoutSeconds=1&resourceVersion=${list.metadata.resourceVersion}`,
    );
    await watch.ended;
  });

  it('sends one-row Tables when asked, as kubectl get -w does', async () => {
    const list = (await t.api.get(base)).json();
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const watch = t.api.stream(`${base}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, {
      Accept: accept,
    });
    try {
      await t.api.post(base, cm('tabled', { a: '1', b: '2' }));
      await eventually(() => watch.events.length >= 1);
      const table = watch.events[0].object;
      assert.equal(table.kind, 'Table');
      assert.deepEqual(
        table.columnDefinitions.map((c: any) => c.name),
        ['Name', 'Data', 'Age'],
      );
      assert.equal(table.rows[0].cells[0], 'tabled');
      assert.equal(table.rows[0].cells[1], 2);
    } finally {
      watch.stop();
    }
  });

  it('watches a single object by name', async () => {
    const list = (await t.api.get(base)).json();
    const watch = t.api.stream(
      `${base}?watch=true&fieldSelector=metadata.name%3Done&resourceVersion=${list.metadata.resourceVersion}`,
    );
    try {
      await t.api.post(base, cm('other'));
      await t.api.post(base, cm('one'));
      await eventually(() => watch.events.length >= 1);
      assert.deepEqual(
        watch.events.map((e) => e.object.metadata.name),
        ['one'],
      );
    } finally {
      watch.stop();
    }
  });

  // Found by the fuzz suite: a HEAD of a watch had no body to send but kept its response open
  // until the watch timed out, and the next request on that keep-alive connection hung with it.
  it('answers a HEAD of a watch with the headers alone, so its connection serves the next request', async () => {
    const oneConnection = new FuzzClient(t.hub.apiUrl, t.hub.caPem, t.hub.adminToken, 1);
    const send = async (method: string, path: string) =>
      (await oneConnection.send({ method, path, headers: {} }, 5000)).status;
    try {
      assert.equal(await send('HEAD', '/api/v1/watch/namespaces/default/configmaps'), 200);
      assert.equal(await send('HEAD', `${base}?watch=true`), 200);
      assert.equal(await send('GET', `${base}/before`), 200);
    } finally {
      oneConnection.close();
    }
  });
});
