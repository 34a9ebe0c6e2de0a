// The API probes (api-probes.ts) in a process of their own, as kubectl is: the bench process also
// runs thousands of hollow gateways and a watch of every pod, and a latency measured on its event
// loop would include its own garbage collections and busy turns, not only the hub's.
import { type ChildProcess, fork } from 'node:child_process';
import type { ProbeName, ProbeResult } from './api-probes.js';

export interface ProbeTarget {
  apiUrl: string;
  caPem: string;
  token: string;
  namespace: string;
}

/** Parent → child: where to probe, which pod to GET, and when to stop. */
export type ToProbes = { target: ProbeTarget } | { pod: string } | { stop: true };
/** Child → parent: the results, once stopped. */
export type FromProbes = { results: Record<ProbeName, ProbeResult> };

export class ApiProbeProcess {
  private readonly child: ChildProcess;
  private readonly results: Promise<Record<ProbeName, ProbeResult>>;
  private pod: string | undefined;

  constructor(target: ProbeTarget) {
    // fork() passes this process' execArgv on: under tsx the child loads TypeScript too.
    this.child = fork(new URL('./api-probe-child.ts', import.meta.url), [], { stdio: 'inherit' });
    this.results = new Promise((resolve, reject) => {
      this.child.once('message', (message) => resolve((message as FromProbes).results));
      this.child.once('exit', (code) =>
        reject(new Error(`API probe process exited (${code}) without results`)),
      );
    });
    this.results.catch(() => {});
    this.send({ target });
  }

  /** The pod to GET; the first one named is kept. */
  setPod(name: string): void {
    if (this.pod !== undefined) return;
    this.pod = name;
    this.send({ pod: name });
  }

  async stop(): Promise<Record<ProbeName, ProbeResult>> {
    this.send({ stop: true });
    return this.results;
  }

  private send(message: ToProbes): void {
    this.child.send(message);
  }
}
