// One probe execution, the three kubelet handlers: exec (through the runtime's ExecSync; exit
// code 0 succeeds), httpGet (a status from 200 to 399 succeeds; the pod IP unless a host is
// given) and tcpSocket (a connection succeeds). Every failure carries kubelet-like output for
// the Unhealthy event. A target in memory (a pod of a runtime without a pod network, the fake)
// is not dialled: the runtime says whether the port accepts a connection, and an accepting one
// answers an HTTP GET with 200 — unless the probe names its own host, which is dialled as the
// kubelet would.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { Container, Probe } from './pod-spec.js';

export interface ProbeOutcome {
  success: boolean;
  output: string;
}

export interface ProbeTarget {
  containerId: string;
  container: Container;
  /** Where httpGet and tcpSocket probes connect: the pod IP, or the host's for hostNetwork. */
  host: string;
  /** The pod has no network: httpGet and tcpSocket are answered by runtime.simulatedConnect. */
  inMemory?: boolean;
}

const userAgent = 'kube-probe/1.32';

function resolvePort(port: number | string, container: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runProbe(
  probe: Probe,
  target: ProbeTarget,
  runtime: ContainerRuntime,
): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec) return execProbe(probe.exec.command ?? [], target, runtime, probe.timeoutSeconds ?? 1);
  if (probe.httpGet) {
    const port = resolvePort(probe.httpGet.port, target.container);
    if (port === undefined) return { success: false, output: `unknown port ${probe.httpGet.port}` };
    if (target.inMemory && !probe.httpGet.host) {
      const url = `${probe.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://${target.host}:${port}${probe.httpGet.path ?? '/'}`;
      return inMemoryConnect(target, port, runtime, (refused) => `Get "${url}": ${refused}`);
    }
    return httpProbe(probe.httpGet, probe.httpGet.host || target.host, port, timeoutMs);
  }
  if (probe.tcpSocket) {
    const port = resolvePort(probe.tcpSocket.port, target.container);
    if (port === undefined) return { success: false, output: `unknown port ${probe.tcpSocket.port}` };
    if (target.inMemory && !probe.tcpSocket.host) {
      return inMemoryConnect(target, port, runtime, (refused) => refused);
    }
    return tcpProbe(probe.tcpSocket.host || target.host, port, timeoutMs);
  }
  // gRPC probes are not implemented yet; a probe the agent cannot run must not kill anything.
  return { success: true, output: 'probe handler not supported by this agent' };
}

/** A simulated pod's answer: accepted (HTTP 200) or refused, in the kubelet's words. */
function inMemoryConnect(
  target: ProbeTarget,
  port: number,
  runtime: ContainerRuntime,
  describe: (refused: string) => string,
): ProbeOutcome {
  if (runtime.simulatedConnect?.(target.containerId, port)) return { success: true, output: '' };
  return { success: false, output: describe(`dial tcp ${target.host}:${port}: connect: connection refused`) };
}

async function execProbe(
  command: string[],
  target: ProbeTarget,
  runtime: ContainerRuntime,
  timeoutSeconds: number,
): Promise<ProbeOutcome> {
  try {
    const result = await runtime.execSync(target.containerId, command, timeoutSeconds);
    const output = `${result.stdout.toString()}${result.stderr.toString()}`.trim();
    return { success: result.exitCode === 0, output };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { success: false, output: `command ${JSON.stringify(command.join(' '))} failed: ${message}` };
  }
}

function httpProbe(
  get: NonNullable<Probe['httpGet']>,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const https = get.scheme === 'HTTPS';
  const path = get.path ?? '/';
  const url = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*' };
  for (const header of get.httpHeaders ?? []) headers[header.name] = header.value;
  return new Promise((resolve) => {
    const options = {
      host,
      port,
      path,
      method: 'GET',
      headers,
      timeout: timeoutMs,
      rejectUnauthorized: false,
    };
    const request = (https ? httpsRequest : httpRequest)(options, (response) => {
      response.resume();
      const code = response.statusCode ?? 0;
      if (code >= 200 && code < 400) resolve({ success: true, output: '' });
      else resolve({ success: false, output: `HTTP probe failed with statuscode: ${code}` });
    });
    request.on('timeout', () => request.destroy(new Error('context deadline exceeded')));
    request.on('error', (error) => resolve({ success: false, output: `Get "${url}": ${error.message}` }));
    request.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ success: false, output: `dial tcp ${host}:${port}: i/o timeout` }),
    );
    socket.on('connect', () => done({ success: true, output: '' }));
    socket.on('error', (error) =>
      done({ success: false, output: `dial tcp ${host}:${port}: ${error.message}` }),
    );
  });
}
