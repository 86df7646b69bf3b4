/**
 * Column types of the tables the product writes (the warehouse tables and the run directory's row
 * files), shared by whoever produces rows (surface, explore) and the warehouse contract that declares
 * the tables (src/warehouse/tables.ts). Dates are 'yyyy-mm-dd' strings, timestamps ISO-8601 strings.
 */
import { z } from 'zod';

export const isoDate = z.iso.date();
export const isoTimestamp = z.iso.datetime({ offset: true });
export const count = z.number().int().nonnegative();

/** Run ids name staging tables and files too, so they are restricted to a portable alphabet. */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'run ids are 1-128 letters, digits, _ . : - (starting with a letter or digit)');

/** succeeded: fit passed its gates; rejected: diagnostics or calibration refused it; failed: it broke. */
export const runStatusSchema = z.enum(['succeeded', 'rejected', 'failed']);

type IntervalColumns<N extends string> = Record<`${N}_mean` | `${N}_p05` | `${N}_p95`, z.ZodNumber>;

/** The columns `<name>_mean`, `<name>_p05`, `<name>_p95` of a posterior summary with a 90% interval. */
export function interval<N extends string>(name: N): IntervalColumns<N> {
  return { [`${name}_mean`]: z.number(), [`${name}_p05`]: z.number(), [`${name}_p95`]: z.number() } as IntervalColumns<N>;
}
