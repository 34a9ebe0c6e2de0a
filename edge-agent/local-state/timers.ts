// Time as a seam for the write scheduling of local state: tests and the write benchmark drive
// it by hand (a simulated day takes milliseconds), the agent uses the real clock.
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => {
    const timer = setTimeout(run, ms);
    // A pending write must not keep a stopping process alive; stop() flushes it instead.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
