// /readyz sampled while the fuzzer runs, on its own connection so it does not queue behind the
// fuzz lanes: every sample must be a 200 within the bound of 1 s.
import { FuzzClient } from './fuzz-client.js';

export const readyzBoundMs = 1000;

export class ReadyzSampler {
  private readonly client: FuzzClient;
  private readonly pending = new Set<Promise<void>>();
  samples = 0;
  slowest = 0;
  readonly failures: string[] = [];

  constructor(apiUrl: string, ca: string, token: string) {
    this.client = new FuzzClient(apiUrl, ca, token, 1);
  }

  /** Starts one sample without waiting for it. */
  sample(): void {
    const done = this.client
      .send({ method: 'GET', path: '/readyz', headers: {} }, 5000)
      .then((res) => {
        this.samples++;
        this.slowest = Math.max(this.slowest, res.ms);
        if (res.status !== 200) this.failures.push(`/readyz answered ${res.status}: ${res.text}`);
        else if (res.ms > readyzBoundMs) this.failures.push(`/readyz took ${Math.round(res.ms)} ms`);
      })
      .catch((err: Error) => {
        this.failures.push(`/readyz failed: ${err.message}`);
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  async close(): Promise<void> {
    await Promise.all(this.pending);
    this.client.close();
  }
}
