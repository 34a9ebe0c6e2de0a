import assert from 'node:assert/strict';
import { NodeRequestError, NodeRequests } from '../../../hub/edge-sync/node-requests.js';

describe('NodeRequests exec and metrics (fed by hand)', () => {
  const sent: Array<{ topic: string; body: any }> = [];
  const setup = () => {
    sent.length = 0;
    const requests = new NodeRequests({
      publish: (topic, payload) => sent.push({ topic, body: JSON.parse(payload.toString()) }),
      idleTimeoutMs: 5_000,
    });
    const feed = (route: string, body: object) =>
      requests.receive(`flotilla/v1/nodes/gw/${route}`, Buffer.from(JSON.stringify(body)));
    feed('presence', { state: 'online', since: 1 });
    return { requests, feed };
  };

  it('starts on the first chunk, hands output bytes on and resolves with the exit code', async () => {
    const { requests, feed } = setup();
    const output: string[] = [];
    const call = requests.exec(
      'gw',
      { namespace: 'default', pod: 'web', command: ['cat'], stdin: true },
      (s, d) => output.push(`${s}:${d.toString()}`),
    );
    const { id, command, stdin } = sent[0]!.body;
    assert.equal(sent[0]!.topic, 'flotilla/v1/nodes/gw/requests/exec');
    assert.deepEqual([command, stdin], [['cat'], true]);
    feed(`replies/${id}`, { id, seq: 0 });
    await call.started;
    call.send({ data: Buffer.from([0xff, 0x00]) });
    call.send({ resize: { width: 80, height: 24 }, end: true });
    assert.deepEqual(
      sent.slice(1).map((m) => [m.topic, m.body]),
      [
        [`flotilla/v1/nodes/gw/stdin/${id}`, { id, seq: 0, data: '/wA=', encoding: 'base64' }],
        [`flotilla/v1/nodes/gw/stdin/${id}`, { id, seq: 1, resize: { width: 80, height: 24 }, end: true }],
      ],
    );
    feed(`replies/${id}`, { id, seq: 2, end: true, exitCode: 3 });
    feed(`replies/${id}`, { id, seq: 1, stream: 'stderr', data: 'oops' });
    assert.equal(await call.done, 3);
    assert.deepEqual(output, ['stderr:oops']);
  });

  it('rejects started with the gateway error when it refuses before starting', async () => {
    const { requests, feed } = setup();
    const call = requests.exec('gw', { namespace: 'default', pod: 'web', command: ['true'] }, () => {});
    const { id } = sent[0]!.body;
    feed(`replies/${id}`, { id, seq: 0, end: true, error: 'pod default/web not found on gateway gw' });
    await assert.rejects(call.started, (err) => err instanceof NodeRequestError && err.kind === 'failed');
    await assert.rejects(call.done, NodeRequestError);
  });

  it('sends a cancel request when the client goes away', async () => {
    const { requests } = setup();
    const call = requests.exec('gw', { namespace: 'default', pod: 'web', command: ['sh'] }, () => {});
    call.cancel();
    await call.done;
    assert.deepEqual(sent[1], {
      topic: 'flotilla/v1/nodes/gw/requests/cancel',
      body: { id: sent[0]!.body.id },
    });
  });

  it('collects a metrics answer spread over chunks into one document', async () => {
    const { requests, feed } = setup();
    const answer = requests.metrics('gw', 'node');
    const { id, scope } = sent[0]!.body;
    assert.equal(scope, 'node');
    feed(`replies/${id}`, { id, seq: 0, stream: 'data', data: '{"kind":"NodeMetr' });
    feed(`replies/${id}`, { id, seq: 1, stream: 'data', data: 'icsList","items":[]}' });
    feed(`replies/${id}`, { id, seq: 2, end: true });
    assert.deepEqual(await answer, { kind: 'NodeMetricsList', items: [] });
  });
});
