/**
 * Lets the vitest worker read its runner's replies in the middle of a long computation.
 *
 * The worker reports progress to the runner over an RPC channel whose calls time out after a fixed 60 s (birpc's
 * default; vitest 3 exposes no setting for it). Node runs expired timers before it reads arrived messages, so a test
 * that computes synchronously for more than 60 s on a loaded machine makes the run exit 1 although every assertion
 * holds. Loops of many independent trials await this between trials; a macrotask turn costs microseconds.
 */
export function yieldToRunner(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
