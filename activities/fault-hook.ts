/**
 * A test hook for crash safety: MMM_FAULT=<activity>:<step> makes the worker process kill itself with
 * SIGKILL when that activity reaches that step — `start` (before any work), `heartbeat-<n>` (the n-th
 * timer heartbeat, n x a fifth of the heartbeat timeout into the work), `progress-<n>` (the n-th progress
 * report: for the fit, n% of its iterations, so the same point of the work however fast the machine is)
 * or `end` (work done, completion not yet reported). Fault tests pick these points with a seeded generator
 * and restart the worker after each kill. Unset, it does nothing.
 */
import { z } from 'zod';

const faultSchema = z
  .string()
  .regex(/^[A-Za-z]+:(start|end|(heartbeat|progress)-[1-9]\d*)$/, 'MMM_FAULT is <activity>:<start|end|heartbeat-N|progress-N>');

const fault = process.env.MMM_FAULT ? faultSchema.parse(process.env.MMM_FAULT) : null;

/** Kills this process, unannounced as a crash is, when MMM_FAULT names this activity and step. */
export function faultPoint(activity: string, step: string): void {
  if (fault === `${activity}:${step}`) {
    process.stderr.write(`MMM_FAULT ${fault}: killing worker process ${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
