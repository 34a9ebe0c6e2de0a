// `kubectl port-forward` on the agent: one request is one TCP connection to a port on the pod's
// localhost, made by the runtime inside the pod's network namespace (CRI PortForward). The
// answer is a chunk once connected, `inputBytes: 0` (so the hub can tell kubectl about a
// refused port at once), then what the pod sends as `data` chunks, keep-alive chunks while the
// connection is quiet, acknowledgements of input, and the end chunk when the pod closed it;
// input comes on `stdin/{id}` (end: true half-closes). The pod must be one this gateway runs,
// with a ready sandbox.
import { chunkBytes, type PortForwardRequest, type StreamChunk } from '../../api/mqtt/payloads/requests.js';
import { podName, podNamespace, podUid } from '../pods/pod-spec.js';
import type { PortConnection } from '../runtime/container-runtime.js';
import { type ChunkFields, chunkEmitter } from './chunk-emitter.js';
import type { EndFields, ExecDeps } from './exec-handler.js';

/** Connects and relays until the connection ends or the hub cancels. Never rejects. */
export async function answerPortForward(
  deps: ExecDeps,
  request: PortForwardRequest,
  signal: AbortSignal,
  send: (fields: ChunkFields) => Promise<void>,
): Promise<EndFields> {
  const { emit, output, stop, throttle, consumed } = chunkEmitter(send, deps.keepAliveMs);
  // The hub passes the client's bytes on without waiting for the connection: they are held
  // here until it exists.
  const held: StreamChunk[] = [];
  let connection: PortConnection | undefined;
  const deliver = (chunk: StreamChunk) => {
    if (!connection) {
      held.push(chunk);
      return;
    }
    const data = chunkBytes(chunk);
    if (data.length > 0) connection.write(data, () => consumed(data.length));
    if (chunk.end) connection.end();
  };
  const stopInput = deps.inputs.open(request.id, deliver);
  try {
    const sandboxId = await readySandbox(deps, request.namespace, request.pod);
    const open = await deps.runtime.portForward(sandboxId, request.port, (data) => output('data', data));
    connection = open;
    throttle(open);
    emit({ inputBytes: 0 });
    for (const chunk of held.splice(0)) deliver(chunk);
    const cancel = () => open.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    try {
      await open.done;
      return {};
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  } finally {
    stopInput();
    stop();
  }
}

async function readySandbox(deps: ExecDeps, namespace: string, name: string): Promise<string> {
  const pod = deps.pods().find(({ pod }) => podNamespace(pod) === namespace && podName(pod) === name)?.pod;
  if (!pod) throw new Error(`pod ${namespace}/${name} not found on gateway ${deps.nodeName}`);
  const uid = podUid(pod);
  const sandbox = (await deps.runtime.listPodSandboxes())
    .filter((s) => s.metadata.uid === uid && s.state === 'READY')
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!sandbox)
    throw new Error(`pod ${namespace}/${name} has no running sandbox on gateway ${deps.nodeName}`);
  return sandbox.id;
}
