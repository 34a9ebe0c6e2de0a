// Image pulls for pod sync: one pull per image at a time however many pods wait for it, each
// bounded in time (a gateway without a route to its registry must fail a pull, not hang on it),
// with the kubelet's events and the pod's pull record (ErrImagePull, then back-off).
import type { ContainerRuntime } from '../runtime/container-runtime.js';
import { type BackoffPolicy, nextBackoff } from './backoff.js';
import type { PodRecord } from './pod-records.js';

export interface PullReport {
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export class ImagePuller {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly now: () => number,
    private readonly backoff: BackoffPolicy,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Starts the pull without waiting for it (the pod's record says it is in flight), so that a
   * slow or hanging pull never holds up the pod's other work, such as its deletion.
   */
  start(record: PodRecord, container: string, image: string, report: PullReport, done: () => void): void {
    const pull = this.pullFor(record, container, image, report).finally(() => {
      this.background.delete(pull);
      done();
    });
    this.background.add(pull);
  }

  /** Resolves once the pulls started so far have ended. */
  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  /** Pulls `image` for one container of a pod, recording the outcome in the pod's record. */
  async pullFor(record: PodRecord, container: string, image: string, report: PullReport): Promise<boolean> {
    const previous = record.pulls.get(image);
    record.pulls.set(image, {
      inFlight: true,
      lastAttemptAt: this.now(),
      ok: false,
      message: '',
      backoff: previous?.backoff,
    });
    report.event('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = Date.now();
    try {
      await this.pull(image);
      const seconds = ((Date.now() - started) / 1000).toFixed(3);
      report.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${seconds}s`);
      record.pulls.set(image, { inFlight: false, lastAttemptAt: this.now(), ok: true, message: '' });
      record.reasons.delete(container);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const at = this.now();
      record.pulls.set(image, {
        inFlight: false,
        lastAttemptAt: at,
        ok: false,
        message,
        backoff: nextBackoff(previous?.backoff, at, this.backoff),
      });
      report.event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      // An image already on the gateway is used anyway (pull policy Always while offline).
      const present = await this.runtime.imageStatus(image).catch(() => undefined);
      if (!present) {
        record.reasons.set(container, { reason: 'ErrImagePull', message });
        report.event('Warning', 'Failed', 'Error: ErrImagePull');
      }
      return false;
    }
  }

  private pull(image: string): Promise<string> {
    let pending = this.inFlight.get(image);
    if (!pending) {
      pending = withTimeout(this.runtime.pullImage(image), this.timeoutMs, image).finally(() =>
        this.inFlight.delete(image),
      );
      this.inFlight.set(image, pending);
    }
    return pending;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, image: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pulling image "${image}" timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
