// Liveness, readiness and startup probes of running containers (kubelet's prober workers, run
// from the sync loop instead of one goroutine each): a probe is due once initialDelaySeconds
// have passed since the container started and periodSeconds since its last run; a result
// flips after successThreshold successes or failureThreshold failures in a row. Until the
// startup probe succeeds, liveness and readiness do not run. Readiness starts as failure,
// liveness as success; a liveness or startup failure condemns the container (the planner
// then kills and restarts it).
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import type { ProbeView } from './container-statuses.js';
import type { UnhealthyVerdict } from './pod-records.js';
import type { Container, Probe } from './pod-spec.js';
import { type ProbeOutcome, type ProbeTarget, runProbe } from './probe-handlers.js';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

interface ProbeState {
  result: 'success' | 'failure' | 'unknown';
  successes: number;
  failures: number;
  lastRunAt?: number | undefined;
  lastOutput?: string | undefined;
  inFlight: boolean;
}

interface ContainerProbes {
  startedAt: number;
  states: Map<ProbeKind, ProbeState>;
}

export interface RunningContainer extends ProbeTarget {
  podUid: string;
  /** Milliseconds since the epoch. */
  startedAt: number;
}

export interface ProbeEvents {
  /** A probe run failed (kubelet's Unhealthy event). */
  failed(target: RunningContainer, kind: ProbeKind, output: string): void;
  /** A result flipped: the pod's status (or plan) may change. */
  changed(target: RunningContainer, kind: ProbeKind): void;
}

const probeKey: Record<ProbeKind, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> = {
  Liveness: 'livenessProbe',
  Readiness: 'readinessProbe',
  Startup: 'startupProbe',
};

const initialResult: Record<ProbeKind, ProbeState['result']> = {
  Liveness: 'success',
  Readiness: 'failure',
  Startup: 'unknown',
};

export class ProbeManager implements ProbeView {
  private readonly containers = new Map<string, ContainerProbes>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly events: ProbeEvents,
  ) {}

  /** Starts the probes that are due; forgets containers no longer running. */
  tick(running: RunningContainer[], now: number): Promise<void>[] {
    const ids = new Set(running.map((r) => r.containerId));
    for (const id of this.containers.keys()) if (!ids.has(id)) this.containers.delete(id);
    const started: Promise<void>[] = [];
    for (const target of running) {
      let probes = this.containers.get(target.containerId);
      if (!probes) {
        probes = { startedAt: target.startedAt, states: new Map() };
        this.containers.set(target.containerId, probes);
      }
      for (const kind of this.activeKinds(target.container, probes)) {
        const probe = target.container[probeKey[kind]] as Probe;
        const state = stateOf(probes, kind);
        if (!isDue(probe, state, probes.startedAt, now)) continue;
        state.inFlight = true;
        state.lastRunAt = now;
        started.push(
          runProbe(probe, target, this.runtime).then((outcome) => this.record(target, kind, probe, outcome)),
        );
      }
    }
    return started;
  }

  isReady(containerId: string, container: Container): boolean {
    if (!container.readinessProbe) return true;
    return this.containers.get(containerId)?.states.get('Readiness')?.result === 'success';
  }

  isStarted(containerId: string, container: Container): boolean {
    if (!container.startupProbe) return true;
    return this.containers.get(containerId)?.states.get('Startup')?.result === 'success';
  }

  /** Containers whose liveness or startup probe failed for good. */
  unhealthy(): Map<string, UnhealthyVerdict> {
    const verdicts = new Map<string, UnhealthyVerdict>();
    for (const [id, probes] of this.containers) {
      for (const probe of ['Startup', 'Liveness'] as const) {
        const state = probes.states.get(probe);
        if (state?.result === 'failure') verdicts.set(id, { probe, message: state.lastOutput ?? '' });
      }
    }
    return verdicts;
  }

  private activeKinds(container: Container, probes: ContainerProbes): ProbeKind[] {
    const startup = container.startupProbe ? stateOf(probes, 'Startup') : undefined;
    if (startup && startup.result !== 'success') return ['Startup'];
    return (['Liveness', 'Readiness'] as const).filter((kind) => container[probeKey[kind]] !== undefined);
  }

  private record(target: RunningContainer, kind: ProbeKind, probe: Probe, outcome: ProbeOutcome): void {
    const probes = this.containers.get(target.containerId);
    const state = probes?.states.get(kind);
    if (!state) return; // the container stopped meanwhile
    state.inFlight = false;
    state.lastOutput = outcome.output;
    const before = state.result;
    if (outcome.success) {
      state.successes++;
      state.failures = 0;
      // Liveness and startup need one success (the API enforces successThreshold 1 for them).
      const threshold = kind === 'Readiness' ? (probe.successThreshold ?? 1) : 1;
      if (state.successes >= threshold) state.result = 'success';
    } else {
      state.failures++;
      state.successes = 0;
      this.events.failed(target, kind, outcome.output);
      if (state.failures >= (probe.failureThreshold ?? 3)) state.result = 'failure';
    }
    if (state.result !== before) this.events.changed(target, kind);
  }
}

function stateOf(probes: ContainerProbes, kind: ProbeKind): ProbeState {
  let state = probes.states.get(kind);
  if (!state) {
    state = { result: initialResult[kind], successes: 0, failures: 0, inFlight: false };
    probes.states.set(kind, state);
  }
  return state;
}

function isDue(probe: Probe, state: ProbeState, startedAt: number, now: number): boolean {
  if (state.inFlight) return false;
  if (now < startedAt + (probe.initialDelaySeconds ?? 0) * 1000) return false;
  return state.lastRunAt === undefined || now - state.lastRunAt >= (probe.periodSeconds ?? 10) * 1000;
}
