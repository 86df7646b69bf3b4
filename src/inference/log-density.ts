/**
 * What the sampler needs from a model: a log density with its gradient on the unconstrained space,
 * and (for worker threads) a recipe to rebuild that target from a module export.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Rng } from '../math/rng.ts';

export interface LogDensity {
  readonly dim: number;
  /** Writes d log p / d theta into grad and returns log p(theta) up to a constant (unconstrained space). */
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
  /** Optional model-specific initial point (unconstrained); default is Stan's uniform(-2, 2). */
  initialPoint?(rng: Rng): Float64Array;
  /**
   * false when the target's coordinates are built to be nearly uncorrelated (as a national MMM's, whose linear
   * baseline is integrated out: src/model/conditional-baseline.ts), so that metricAdaptation 'auto' gives it the
   * diagonal metric at any dimension (metric-choice.ts). Absent: treated as true.
   */
  readonly correlated?: boolean;
}

/**
 * How a worker thread rebuilds a target: it imports `module` (a file URL or absolute path of a .ts module)
 * and calls its export `exportName(args)`, which returns a LogDensity (sync or Promise).
 * `args` must be structured-cloneable.
 */
export const targetSpecSchema = z
  .object({
    module: z.string().min(1),
    exportName: z.string().min(1),
    args: z.unknown(),
  })
  .strict();

export type TargetSpec = z.infer<typeof targetSpecSchema>;

export class TargetLoadError extends Error {
  constructor(spec: TargetSpec, problem: string) {
    super(`target '${spec.exportName}' from module '${spec.module}': ${problem}`);
    this.name = 'TargetLoadError';
  }
}

function moduleUrl(spec: TargetSpec): string {
  if (spec.module.startsWith('file:')) return spec.module;
  if (isAbsolute(spec.module)) return pathToFileURL(spec.module).href;
  throw new TargetLoadError(spec, 'module must be a file URL or an absolute path');
}

function isLogDensity(value: unknown): value is LogDensity {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    Number.isInteger(candidate.dim) &&
    (candidate.dim as number) > 0 &&
    typeof candidate.logDensityGradient === 'function' &&
    (candidate.initialPoint === undefined || typeof candidate.initialPoint === 'function')
  );
}

/** Imports the spec's module and builds the target it describes. */
export async function loadTarget(spec: TargetSpec): Promise<LogDensity> {
  let exports: Record<string, unknown>;
  try {
    exports = await import(moduleUrl(spec));
  } catch (cause) {
    if (cause instanceof TargetLoadError) throw cause;
    throw new TargetLoadError(spec, `import failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const factory = exports[spec.exportName];
  if (typeof factory !== 'function') throw new TargetLoadError(spec, 'no exported function of that name');
  const target: unknown = await factory(spec.args);
  if (!isLogDensity(target)) {
    throw new TargetLoadError(spec, 'the factory did not return a LogDensity (positive integer dim and a logDensityGradient function)');
  }
  return target;
}
