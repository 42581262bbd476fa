/**
 * Milliseconds on a monotonic clock, for durations. Not `monotonicMs()`: the global
 * `performance` loads node:perf_hooks on first use, a cost on the way to the first probe.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
