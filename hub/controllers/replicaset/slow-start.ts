// Slow-start batching (kube's slowStartBatch): issue calls in batches of 1, 2, 4, ... and stop
// after the first batch with a failure, so a template that can never be created (quota,
// admission, a terminating namespace) costs a handful of failed calls, not hundreds.

export interface BatchResult {
  succeeded: number;
  /** The first error of the failing batch, if any batch failed. */
  error?: unknown;
}

export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: () => Promise<unknown>,
): Promise<BatchResult> {
  let remaining = count;
  let succeeded = 0;
  let batch = Math.min(remaining, initialBatchSize);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => call()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    succeeded += results.length - results.filter((r) => r.status === 'rejected').length;
    if (failed) return { succeeded, error: failed.reason };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { succeeded };
}
