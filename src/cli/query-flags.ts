/**
 * What `mmm explore` and `mmm optimize` share: the constraint and cap flags, their help, and loading a
 * run's surface up to the cap (components extended from the stored posterior when the cap exceeds the
 * stored grid).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadResponseSource } from '../run/mmm-response-source.ts';
import { DEFAULT_CAP } from '../explore/constraints.ts';
import { loadSurfaceRun, type SurfaceRun } from '../surface/surface-run.ts';

export const QUERY_FLAG_OPTIONS = {
  run: { type: 'string' },
  min: { type: 'string', multiple: true },
  max: { type: 'string', multiple: true },
  lock: { type: 'string', multiple: true },
  cap: { type: 'string' },
  json: { type: 'string' },
} as const;

export const QUERY_FLAGS_HELP = `  --min CH=V|P%        channel minimum, absolute or percent of current spend (repeatable)
  --max CH=V|P%        channel maximum (repeatable)
  --lock CH            keep a channel at current spend (repeatable)
  --cap X              every channel at most X x its current spend (default ${DEFAULT_CAP}, the stored grid; a larger
                       cap extends the response curves from the stored posterior once, then reuses them)`;

export const capFlagSchema = z.coerce.number().min(1).default(DEFAULT_CAP);

/** The run's calibrated curves for queries capped at `cap` x current spend per channel. */
export function loadQueryRun(runDir: string, cap: number): Promise<SurfaceRun> {
  return loadSurfaceRun(resolve(runDir), { cap, loadSource: loadResponseSource });
}
