import assert from 'node:assert/strict';
import { inputWindowBytes } from '../../../../api/mqtt/payloads/requests.js';
import { NodeRequestError, NodeRequests } from '../../../../hub/apiserver/node-requests/node-requests.js';
import { hearAsHub } from '../../../helpers/hear-as-hub.js';

describe('NodeRequests exec and metrics (fed by hand)', () => {
  const sent: Array<{ topic: string; body: any }> = [];
  const setup = () => {
    sent.length = 0;
    const requests = new NodeRequests({
      publish: (topic, payload) => sent.push({ topic, body: JSON.parse(payload.toString()) }),
      idleTimeoutMs: 5_000,
    });
    const feed = (route: string, body: object) =>
      hearAsHub(requests)(`flotilla/v1/nodes/gw/${route}`, Buffer.from(JSON.stringify(body)));
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

  it('holds input back past a window the gateway has not acknowledged, and drains on its acknowledgement', async () => {
    const { requests, feed } = setup();
    const call = requests.portForward('gw', { namespace: 'default', pod: 'web', port: 80 }, () => {});
    const { id } = sent[0]!.body;
    feed(`replies/${id}`, { id, seq: 0, inputBytes: 0 });
    await call.started;
    let drained = 0;
    call.onDrain = () => {
      drained += 1;
    };
    const quarter = Buffer.alloc(inputWindowBytes / 4, 0x61);
    const accepted = [1, 2, 3, 4, 5].map(() => call.send({ data: quarter }));
    assert.deepEqual(accepted, [true, true, true, true, false], 'a fifth quarter is over the window');
    assert.equal(sent.length - 1, (5 * quarter.length) / 8192, 'the input is taken all the same');
    feed(`replies/${id}`, { id, seq: 1, inputBytes: quarter.length });
    assert.equal(drained, 0, 'still more than half a window outstanding');
    feed(`replies/${id}`, { id, seq: 2, inputBytes: 3 * quarter.length });
    assert.equal(drained, 1);
    assert.equal(call.send({ data: quarter }), true);
  });

  it('never holds back input to an agent that does not acknowledge it (older agents)', async () => {
    const { requests, feed } = setup();
    const call = requests.exec(
      'gw',
      { namespace: 'default', pod: 'web', command: ['cat'], stdin: true },
      () => {},
    );
    const { id } = sent[0]!.body;
    feed(`replies/${id}`, { id, seq: 0 });
    await call.started;
    const big = Buffer.alloc(2 * inputWindowBytes, 0x62);
    assert.equal(call.send({ data: big }), true);
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
