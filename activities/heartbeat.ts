/**
 * Heartbeats for every activity. While an activity runs, a timer heartbeats several times per heartbeat
 * timeout, repeating the last progress it reported (the fit's iterations), so Temporal sees a dead worker
 * within one timeout and retries the activity elsewhere. This is the activity edge: the fault hook's
 * steps (start, each heartbeat, end) are taken here too.
 */
import { Context } from '@temporalio/activity';
import { faultPoint } from './fault-hook.ts';

/** The last progress each running activity reported, re-sent by its timer. */
const lastProgress = new WeakMap<Context, unknown>();
/** How many timer heartbeats and progress reports each running activity has sent (the fault hook's steps). */
const heartbeatCount = new WeakMap<Context, number>();
const progressCount = new WeakMap<Context, number>();

function countUp(counts: WeakMap<Context, number>, context: Context): number {
  const count = (counts.get(context) ?? 0) + 1;
  counts.set(context, count);
  return count;
}

function beat(context: Context, activity: string): void {
  const count = countUp(heartbeatCount, context);
  context.heartbeat(lastProgress.get(context));
  faultPoint(activity, `heartbeat-${count}`);
}

/** Reports the current activity's progress now (readable by `mmm retrain --wait`) and in every later heartbeat. */
export function heartbeatProgress(progress: unknown): void {
  const context = Context.current();
  lastProgress.set(context, progress);
  context.heartbeat(progress);
  faultPoint(context.info.activityType, `progress-${countUp(progressCount, context)}`);
}

/** A fifth of the heartbeat timeout, between 200 ms and 5 s (5 s when the activity has no timeout). */
const heartbeatIntervalMs = (context: Context): number => Math.min(5000, Math.max(200, (context.info.heartbeatTimeoutMs ?? 25_000) / 5));

type Activity = (...args: never[]) => Promise<unknown>;

/** Wraps every activity so it heartbeats on a timer while it runs. */
export function withHeartbeats<T extends Record<string, Activity>>(activities: T): T {
  const wrap = <F extends Activity>(name: string, activity: F) =>
    (async (...args: Parameters<F>) => {
      const context = Context.current();
      faultPoint(name, 'start');
      const timer = setInterval(() => beat(context, name), heartbeatIntervalMs(context));
      try {
        const result = await activity(...args);
        faultPoint(name, 'end');
        return result;
      } finally {
        clearInterval(timer);
      }
    }) as F;
  return Object.fromEntries(Object.entries(activities).map(([name, activity]) => [name, wrap(name, activity)])) as T;
}
