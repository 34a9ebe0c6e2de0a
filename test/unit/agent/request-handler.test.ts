import assert from 'node:assert/strict';
import type { StreamChunk } from '../../../api/mqtt/payloads/requests.js';
import { routes } from '../../../api/mqtt/route-table.js';
import { ActiveRequests } from '../../../edge-agent/hub-link/active-requests.js';
import { chunkText, handleRequest, type RequestDeps } from '../../../edge-agent/hub-link/request-handler.js';
import { captureLogger } from '../../helpers/capture-logger.js';

const replyTo = 'flotilla/v1/nodes/gw-1/replies/r-1';

function harness(logs: string | Error = 'line 1\nline 2\n') {
  const replies: Array<{ topic: string; chunk: StreamChunk }> = [];
  const reads: unknown[] = [];
  const lines: string[] = [];
  const deps: RequestDeps = {
    nodeName: 'gw-1',
    logs: {
      readLogs: async (...args) => {
        reads.push(args);
        if (logs instanceof Error) throw logs;
        return logs;
      },
      readLogsFrom: async (_ns, _pod, _container, offset) => {
        reads.push(['from', offset]);
        return { entries: [], offset, containerId: 'c-1', running: false };
      },
    },
    active: new ActiveRequests(),
    reply: async (topic, chunk) => {
      assert.equal(routes.reply.validate(chunk).ok, true, JSON.stringify(chunk));
      replies.push({ topic, chunk });
    },
    log: captureLogger(lines),
    now: () => 1_000,
  };
  return { deps, replies, reads, lines };
}

const logsRequest = { id: 'r-1', replyTo, namespace: 'default', pod: 'web', container: 'app', tailLines: 10 };

describe('agent requests', () => {
  it('answers a logs request with numbered chunks and an end marker', async () => {
    const h = harness();
    await handleRequest(h.deps, { route: 'logsRequest', request: logsRequest });
    assert.deepEqual(h.reads, [['default', 'web', 'app', { tailLines: 10 }]]);
    assert.deepEqual(
      h.replies.map((r) => r.chunk),
      [
        { id: 'r-1', seq: 0, stream: 'stdout', data: 'line 1\nline 2\n' },
        { id: 'r-1', seq: 1, end: true },
      ],
    );
    assert.ok(h.replies.every((r) => r.topic === replyTo));
  });

  it('splits long logs into chunks that each fit a reply message', async () => {
    const text = '\u0001'.repeat(20_000);
    const h = harness(text);
    await handleRequest(h.deps, { route: 'logsRequest', request: logsRequest });
    assert.equal(h.replies.length, 4);
    for (const { chunk } of h.replies)
      assert.ok(Buffer.byteLength(JSON.stringify(chunk)) <= routes.reply.maxBytes);
    assert.equal(h.replies.map((r) => r.chunk.data ?? '').join(''), text);
  });

  it('never splits a surrogate pair', () => {
    const chunks = chunkText(`${'a'.repeat(3)}😀b`, 4);
    assert.deepEqual(chunks, ['aaa', '😀b']);
  });

  it('applies limitBytes from the start of the log', async () => {
    const h = harness('0123456789');
    await handleRequest(h.deps, { route: 'logsRequest', request: { ...logsRequest, limitBytes: 4 } });
    assert.equal(h.replies[0]?.chunk.data, '0123');
  });

  it('ends with the error when the logs cannot be read', async () => {
    const h = harness(new Error('pod default/web not found on this node'));
    await handleRequest(h.deps, { route: 'logsRequest', request: logsRequest });
    assert.deepEqual(
      h.replies.map((r) => r.chunk),
      [{ id: 'r-1', seq: 0, end: true, error: 'pod default/web not found on this node' }],
    );
  });

  it('answers exec and metrics with a clear "not supported" when built without a runtime', async () => {
    const h = harness();
    await handleRequest(h.deps, {
      route: 'execRequest',
      request: { id: 'r-1', replyTo, namespace: 'default', pod: 'web', command: ['sh'] },
    });
    await handleRequest(h.deps, { route: 'metricsRequest', request: { id: 'r-1', replyTo, scope: 'pods' } });
    assert.deepEqual(
      h.replies.map((r) => r.chunk.error),
      ['exec is not supported by this agent', 'metrics are not supported by this agent'],
    );
  });

  it('does not answer on a topic that is not its own reply topic', async () => {
    const h = harness();
    await handleRequest(h.deps, {
      route: 'logsRequest',
      request: { ...logsRequest, replyTo: 'flotilla/v1/nodes/gw-2/replies/r-1' },
    });
    assert.deepEqual(h.replies, []);
    assert.match(h.lines[0] ?? '', /asks for replies on flotilla\/v1\/nodes\/gw-2\/replies\/r-1; ignored/);
  });

  it('refuses a request whose deadline has passed', async () => {
    const h = harness();
    await handleRequest(h.deps, { route: 'logsRequest', request: { ...logsRequest, deadline: 999 } });
    assert.equal(h.replies[0]?.chunk.error, 'deadline exceeded before the agent received the request');
    assert.deepEqual(h.reads, []);
  });
});
