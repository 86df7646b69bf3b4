/**
 * What crosses the Temporal boundary (DESIGN.md section 6): task queues, workflow inputs and results,
 * and the failure types that are never retried. Activity inputs and outputs are ids, paths and table
 * names — never arrays of data. Imported by the workflow bundle, so this module must stay deterministic
 * (zod only, no Node APIs; `npm run lint` checks it).
 */
import { z } from 'zod';
import { FLIGHTING_KINDS, horizonWeeksSchema, TREND_CONTINUATIONS } from '../config/horizon-settings.ts';
import { samplerOverridesSchema } from '../config/sampler-config.ts';
import type { Optimality } from '../explore/objective-bound.ts';

/** Workflows and I/O activities (dbt, warehouse) on one queue; fitting and the surface on another. */
export const TASK_QUEUES = { io: 'mmm-io', cpu: 'mmm-cpu' } as const;
export type TaskQueueKind = keyof typeof TASK_QUEUES;

/** Failure types raised as non-retryable ApplicationFailures: retrying cannot change their outcome. */
export const NON_RETRYABLE_FAILURES = [
  'DataValidationError',
  'DbtTestFailure',
  'DiagnosticsFailedError',
  'CalibrationError',
  'ConfigError',
  'InfeasibleConstraintError',
  'NoCurrentRunError',
] as const;
export type NonRetryableFailure = (typeof NON_RETRYABLE_FAILURES)[number];
/** Failures by which a run's own gates refuse it: the run is recorded as rejected. */
export const REJECTION_FAILURES: readonly NonRetryableFailure[] = ['DiagnosticsFailedError', 'CalibrationError'];

const modelIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'model ids are 1-64 letters, digits, _ and - (starting with a letter or digit)');

export const retrainInputSchema = z
  .object({
    modelId: modelIdSchema,
    /** Path of the model config JSON, as the workers see it. */
    configPath: z.string().min(1),
    /**
     * Overrides of the config's sampler settings (the demo and tests use fewer draws), within the user-level
     * limits; the activity that merges them into the config parses the merged settings again.
     */
    sampler: samplerOverridesSchema.default({}),
    /** Budget-level chunks of the surface, enumerated by as many activities in parallel. */
    surfaceChunks: z.number().int().min(1).max(64).default(4),
    /**
     * Fit with one activity per chain (fitChain, each heartbeating and retried on its own, on whichever cpu
     * worker takes it), then one that combines them (combineChains), instead of all chains in one activity on
     * one worker's threads (the default: as fast on one host, docs/orchestration.md "Chains as activities").
     */
    fanOutChains: z.boolean().default(false),
    /** Run `dbt build` first (off when the marts are maintained elsewhere). */
    dbtBuild: z.boolean().default(true),
    /** Make the run current when its gates pass. */
    promote: z.boolean().default(true),
    /**
     * An activity that has not heartbeaten for this long is presumed dead (its worker killed or cut off)
     * and retried on another worker. Every activity heartbeats several times per timeout while it runs.
     */
    heartbeatTimeoutSeconds: z.number().int().min(2).max(3600).default(30),
  })
  .strict();
export type RetrainInput = z.input<typeof retrainInputSchema>;
export type RetrainSettings = z.output<typeof retrainInputSchema>;

/**
 * A workflow input parsed by `schema`, or what is wrong with it, each bad field by its path ("sampler.warmup:
 * Too small: expected number to be >=10"): a workflow refuses such an input before any activity runs.
 */
export function parseWorkflowInput<S extends z.ZodType>(schema: S, input: unknown): { settings: z.output<S> } | { problems: string[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { settings: parsed.data };
  return { problems: parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`) };
}

export const parseRetrainInput = (input: RetrainInput) => parseWorkflowInput(retrainInputSchema, input);

export interface RetrainResult {
  runId: string;
  modelId: string;
  verdict: 'pass' | 'warn';
  calibrationFactor: number;
  scenarios: number;
  rowsWritten: number;
  promoted: boolean;
}

/**
 * What the scheduled starter did: started the model's retrain (workflow id retrain-<model>), or found
 * another retrain of the model running under that id and left it alone.
 */
export type ScheduledRetrainOutcome =
  { outcome: 'started'; workflowId: string; runId: string } | { outcome: 'skipped'; workflowId: string; reason: string };

/** Where a retrain is, for `mmm retrain --wait` and the demo's progress line (a workflow query). */
export interface RetrainStatus {
  runId: string;
  stage: 'dbt' | 'extract' | 'validate' | 'fit' | 'surface' | 'publish' | 'done' | 'rejected';
  surfaceChunksDone: number;
  surfaceChunks: number;
}

const requestIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);

const boundSchema = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/, 'a number or a percentage like 50%')]);

export const optimizeInputSchema = z
  .object({
    modelId: modelIdSchema,
    /** Names this request's rows in mmm_recommendations; a retry replaces them. */
    requestId: requestIdSchema,
    /** Total budget over the reporting window (default: the historical total). */
    budget: z.number().nonnegative().optional(),
    min: z.record(z.string(), boundSchema).default({}),
    max: z.record(z.string(), boundSchema).default({}),
    lock: z.array(z.string()).default([]),
    /** mean (default), qNN or mean-sd:LAMBDA, as `mmm optimize --objective`. */
    objective: z.string().default('mean'),
    /**
     * 'geo' (a geo model): spend per (geo, channel) pair, as `mmm optimize --by geo`; min/max/lock then name a
     * channel's total over the markets or a GEO/CHANNEL pair, and the rows go to mmm_geo_recommendations.
     */
    by: z.enum(['channel', 'geo']).default('channel'),
    /** Minimum / maximum total per market (a geo, or a group under `group`), as --geo-min / --geo-max. */
    geoMin: z.record(z.string(), boundSchema).default({}),
    geoMax: z.record(z.string(), boundSchema).default({}),
    group: z.enum(['geo', 'country', 'region']).default('geo'),
    /** The geo groups (the `geo_groups` seed's rows) when `group` is country or region. */
    geoGroups: z.array(z.object({ geo: z.string().min(1), country: z.string().min(1), region: z.string().min(1) }).strict()).default([]),
  })
  .strict();
export type OptimizeInput = z.input<typeof optimizeInputSchema>;

export interface OptimizeResult {
  requestId: string;
  runId: string;
  /** mmm_geo_recommendations for a request by market. */
  table: 'mmm_recommendations' | 'mmm_geo_recommendations';
  rows: number;
  expectedOutcome: number;
  currentOutcome: number;
  pBeatsCurrent: number;
  /** By market: the optimiser's method and its optimality gap (relative to the paid-media outcome). */
  market?: { method: 'dp' | 'lagrangian'; gap: number };
  /** Per channel: how far the objective can be from the best plan on the spend grid (src/explore/objective-bound.ts). */
  optimality?: Optimality;
}

export const planInputSchema = z
  .object({
    modelId: modelIdSchema,
    /** Names this plan's rows in the plan tables (mmm_plan_scenarios, mmm_plan_allocations, ...); a retry replaces them. */
    planId: requestIdSchema,
    /** Overrides of the run config's `plan` section (`mmm plan`'s flags). */
    settings: z
      .object({
        weeks: horizonWeeksSchema.optional(),
        flighting: z.enum(FLIGHTING_KINDS).optional(),
        trend: z.enum(TREND_CONTINUATIONS).optional(),
        countCarryover: z.boolean().optional(),
      })
      .strict()
      .default({}),
    /**
     * Custom flighting's weekly spend: from a plan spend file (a path as the workers see it), or, with
     * flightingFromWarehouse, from the workers' warehouse's mmm_input_plan_spend; not both.
     */
    flightingFile: z.string().min(1).optional(),
    flightingFromWarehouse: z.boolean().default(false),
    /** A file of future controls (a path as the workers see it). */
    controlsFile: z.string().min(1).optional(),
    /** Total budget over the horizon (default: the reference plan's). */
    budget: z.number().nonnegative().optional(),
    min: z.record(z.string(), boundSchema).default({}),
    max: z.record(z.string(), boundSchema).default({}),
    lock: z.array(z.string()).default([]),
    /** Each channel at most cap x its reference spend (default: the stored grid's, as `mmm plan --cap`). */
    cap: z.number().min(1).optional(),
    /** Also the least budget reaching target (total or incremental outcome over the horizon) with probability. */
    goal: z
      .object({ target: z.number(), kind: z.enum(['total', 'incremental']).optional(), probability: z.number().gt(0).lt(1).optional() })
      .strict()
      .optional(),
    /** Also the timing of these channels' weekly spend (or every channel's). */
    timing: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).optional(),
  })
  .strict()
  .refine((input) => !(input.flightingFromWarehouse && input.flightingFile !== undefined), {
    error: 'custom flighting comes from flightingFile or from the warehouse (flightingFromWarehouse), not both',
    path: ['flightingFromWarehouse'],
  });
export type PlanInput = z.input<typeof planInputSchema>;

/** What the plan activity computed, and where its rows are until the warehouse has them (a path the workers share). */
export interface PlanAnswered {
  planId: string;
  runId: string;
  rowsFile: string;
  horizonStart: string;
  horizonEnd: string;
  budget: number;
  outcomeMean: number;
  outcomeP05: number;
  outcomeP95: number;
  /** Least budget reaching the goal; null without a goal or when it is unreachable. */
  goalBudget: number | null;
}

export interface PlanResult extends PlanAnswered {
  /** Rows written per table. */
  rows: {
    mmm_plan_scenarios: number;
    mmm_plan_allocations: number;
    mmm_plan_evidence: number;
    mmm_plan_weekly: number;
    mmm_plan_surface_scenarios: number;
    mmm_plan_surface_allocations: number;
  };
}

/**
 * Workflow ids. `retrain-<model>` is the one id every retrain of a model runs under, whoever starts it
 * (CLI, API, schedule): Temporal refuses a second start while one runs, so a model has one retrain at a time.
 */
export const retrainWorkflowId = (modelId: string): string => `retrain-${modelId}`;
/** The schedule's starter workflows; Temporal appends the scheduled time to this id. */
export const scheduledRetrainWorkflowId = (modelId: string): string => `scheduled-retrain-${modelId}`;
export const optimizeWorkflowId = (requestId: string): string => `optimize-${requestId}`;
export const planWorkflowId = (planId: string): string => `plan-${planId}`;
export const retrainScheduleId = (modelId: string): string => `retrain-${modelId}`;
