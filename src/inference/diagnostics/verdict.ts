/**
 * The verdict over a fit (DESIGN.md section 3, "Diagnostics that fail loudly"): per-parameter R-hat
 * and ESS together with the sampler's divergences, tree-depth saturation and E-BFMI, judged against
 * thresholds into pass / warn / fail with one human-readable reason per finding. A failed verdict
 * becomes a typed error so the run is rejected and never promoted.
 */
import { z } from 'zod';
import { summarizeParameters, type NamedParameterSummary } from './convergence.ts';
import { DiagnosticsInputError, allFinite, drawsShape, type DrawsShape } from './draws.ts';
import { ebfmi } from './energy.ts';

export const diagnosticThresholdsSchema = z
  .object({
    rhatWarn: z.number().gt(1),
    rhatFail: z.number().gt(1),
    /** Bulk ESS totals over all chains. */
    essBulkWarn: z.number().positive(),
    essBulkFail: z.number().positive(),
    essTailWarn: z.number().positive(),
    /** Fractions of all post-warm-up transitions; a rate above the threshold triggers. */
    divergenceWarnRate: z.number().min(0).max(1),
    divergenceFailRate: z.number().min(0).max(1),
    treeDepthWarnRate: z.number().min(0).max(1),
    ebfmiWarn: z.number().positive(),
  })
  .strict()
  .refine((t) => t.rhatWarn <= t.rhatFail, { message: 'rhatWarn must not exceed rhatFail', path: ['rhatWarn'] })
  .refine((t) => t.essBulkWarn >= t.essBulkFail, { message: 'essBulkWarn must not be below essBulkFail', path: ['essBulkWarn'] })
  .refine((t) => t.divergenceWarnRate <= t.divergenceFailRate, {
    message: 'divergenceWarnRate must not exceed divergenceFailRate',
    path: ['divergenceWarnRate'],
  });

export type DiagnosticThresholds = z.infer<typeof diagnosticThresholdsSchema>;

/**
 * R-hat below 1.01 and total bulk and tail ESS above 400 are the recommendations of Vehtari et al.
 * (2021, section 4.4); R-hat 1.05 and bulk ESS 100 are the older, looser limits kept as hard
 * failures. Any divergence biases the estimates (Betancourt 2017, "A Conceptual Introduction to
 * Hamiltonian Monte Carlo", section 6.2), hence a warning at the first and a failure beyond 1% of
 * transitions. E-BFMI below 0.3 is Stan's warning level (Betancourt 2016).
 */
export const defaultThresholds: DiagnosticThresholds = Object.freeze({
  rhatWarn: 1.01,
  rhatFail: 1.05,
  essBulkWarn: 400,
  essBulkFail: 100,
  essTailWarn: 400,
  divergenceWarnRate: 0,
  divergenceFailRate: 0.01,
  treeDepthWarnRate: 0.01,
  ebfmiWarn: 0.3,
});

/** Per-chain sampler statistics of the post-warm-up transitions. */
export interface SamplerHealthInput {
  /** 1 where the transition diverged. */
  divergent: Uint8Array[];
  /** Tree depth of each transition; a depth >= maxTreeDepth hit the limit (Stan's treedepth__ convention). */
  treeDepth: Uint8Array[];
  /** Hamiltonian energy at each transition. */
  energy: Float64Array[];
  maxTreeDepth: number;
}

export type Verdict = 'pass' | 'warn' | 'fail';

export interface Diagnostics {
  /** NaN when some parameter's R-hat is undefined (non-finite or constant draws). */
  maxRhat: number;
  minEssBulk: number;
  minEssTail: number;
  divergences: number;
  divergenceRate: number;
  treeDepthHits: number;
  minEbfmi: number;
  worstParameters: { name: string; rhat: number; essBulk: number }[];
  verdict: Verdict;
  /** Failures first, then warnings. */
  reasons: string[];
}

/** How many parameters `Diagnostics.worstParameters` lists. */
export const worstParameterCount = 5;
/** How many further offenders a reason names after the worst one. */
const namedOffenderCount = 4;

/** Raised by `assertDiagnosticsPass` when the verdict is 'fail'; carries the full diagnostics. */
export class DiagnosticsFailedError extends Error {
  override readonly name = 'DiagnosticsFailedError';
  readonly diagnostics: Diagnostics;

  constructor(diagnostics: Diagnostics) {
    super(`diagnostics failed (sampler or misspecification checks): ${diagnostics.reasons.join(' | ')}`);
    this.diagnostics = diagnostics;
  }
}

export function assertDiagnosticsPass(diagnostics: Diagnostics): void {
  if (diagnostics.verdict === 'fail') throw new DiagnosticsFailedError(diagnostics);
}

type Level = 'warn' | 'fail';
/** One reason for the verdict. */
export interface Finding {
  level: Level;
  text: string;
}
/** A parameter beyond a threshold and its statistic. */
interface Offender {
  name: string;
  value: number;
}

/** What a parameter's poor mixing usually means and what to change, in plain language. */
export interface ParameterExplanation {
  /** "the baseline knots" */
  family: string;
  /** "the baseline moves more than the model allows" */
  cause: string;
  /** "add knots (model.knots) or a control for what moves the level" */
  suggestion: string;
}

/** What the verdict knows beyond the draws: how to explain a parameter, and findings of other checks (misspecification). */
export interface VerdictContext {
  explain?: (parameterName: string) => ParameterExplanation | null;
  findings?: readonly Finding[];
}

/** Summarises every parameter, then judges the summaries and the sampler statistics. */
export function diagnose(
  parameters: { name: string; chains: Float64Array[] }[],
  health: SamplerHealthInput,
  thresholds: DiagnosticThresholds = defaultThresholds,
  context: VerdictContext = {},
): Diagnostics {
  if (parameters.length === 0) throw new DiagnosticsInputError('diagnose: no parameters given');
  const drawsOf = drawsShape(parameters[0].chains, parameters[0].name);
  const healthOf = healthShape(health);
  if (drawsOf.chains !== healthOf.chains || drawsOf.draws !== healthOf.draws) {
    throw new DiagnosticsInputError(
      `diagnose: parameter draws are ${drawsOf.chains} chains x ${drawsOf.draws} but the sampler statistics are ` +
        `${healthOf.chains} chains x ${healthOf.draws}`,
    );
  }
  return diagnoseSummaries(summarizeParameters(parameters), health, thresholds, context);
}

/** The verdict from parameter summaries already computed (e.g. for the posterior summary table) and the sampler statistics. */
export function diagnoseSummaries(
  summaries: readonly NamedParameterSummary[],
  health: SamplerHealthInput,
  thresholds: DiagnosticThresholds = defaultThresholds,
  context: VerdictContext = {},
): Diagnostics {
  const limits = diagnosticThresholdsSchema.parse(thresholds);
  if (summaries.length === 0) throw new DiagnosticsInputError('diagnose: no parameters given');
  const { chains, draws } = healthShape(health);
  const findings: Finding[] = [];
  const add = (finding: Finding | null): void => {
    if (finding !== null) findings.push(finding);
  };

  const nonFinite = summaries.filter((s) => Number.isNaN(s.mean));
  const constant = summaries.filter((s) => !Number.isNaN(s.mean) && Number.isNaN(s.rhat));
  add(
    nameFinding(
      'fail',
      nonFinite.map((s) => s.name),
      (name) => `${name} has non-finite draws (NaN or infinite)`,
    ),
  );
  add(
    nameFinding(
      'fail',
      constant.map((s) => s.name),
      (name) => `draws of ${name} are identical in every chain, so its R-hat is undefined`,
    ),
  );

  const rhatAbove = (limit: number, below: number) =>
    summaries
      .filter((s) => s.rhat > limit && !(s.rhat > below))
      .map((s) => ({ name: s.name, value: s.rhat }))
      .sort((a, b) => b.value - a.value);
  const explain = context.explain ?? (() => null);
  const rhatFinding = { statistic: 'R-hat', direction: 'above', decimals: 2, explain } as const;
  add(
    valueFinding({
      ...rhatFinding,
      level: 'fail',
      limit: limits.rhatFail,
      offenders: rhatAbove(limits.rhatFail, Number.POSITIVE_INFINITY),
    }),
  );
  add(valueFinding({ ...rhatFinding, level: 'warn', limit: limits.rhatWarn, offenders: rhatAbove(limits.rhatWarn, limits.rhatFail) }));

  const essBelow = (pick: (s: NamedParameterSummary) => number, limit: number, atLeast: number) =>
    summaries
      .filter((s) => pick(s) < limit && pick(s) >= atLeast)
      .map((s) => ({ name: s.name, value: pick(s) }))
      .sort((a, b) => a.value - b.value);
  const bulk = (s: NamedParameterSummary): number => s.essBulk;
  const tail = (s: NamedParameterSummary): number => s.essTail;
  const essFinding = { direction: 'below', decimals: 0, explain } as const;
  add(
    valueFinding({
      ...essFinding,
      statistic: 'bulk ESS',
      level: 'fail',
      limit: limits.essBulkFail,
      offenders: essBelow(bulk, limits.essBulkFail, 0),
    }),
  );
  add(
    valueFinding({
      ...essFinding,
      statistic: 'bulk ESS',
      level: 'warn',
      limit: limits.essBulkWarn,
      offenders: essBelow(bulk, limits.essBulkWarn, limits.essBulkFail),
    }),
  );
  add(
    valueFinding({
      ...essFinding,
      statistic: 'tail ESS',
      level: 'warn',
      limit: limits.essTailWarn,
      offenders: essBelow(tail, limits.essTailWarn, 0),
    }),
  );

  const transitions = chains * draws;
  const divergences = countWhere(health.divergent, (v) => v !== 0);
  const divergenceRate = divergences / transitions;
  const diverged = `${divergences} of ${transitions} transitions diverged`;
  const divergenceAdvice =
    ': the sampler met sharp curvature, usually a baseline that cannot follow the data or effects the data ' +
    'cannot tell apart; add knots or controls, or raise sampler.targetAccept (e.g. 0.95) and sampler.warmup';
  if (divergenceRate > limits.divergenceFailRate) {
    add({ level: 'fail', text: rateText(diverged, divergenceRate, limits.divergenceFailRate) + divergenceAdvice });
  } else if (divergenceRate > limits.divergenceWarnRate) {
    add({ level: 'warn', text: rateText(diverged, divergenceRate, limits.divergenceWarnRate) + divergenceAdvice });
  }

  const treeDepthHits = countWhere(health.treeDepth, (depth) => depth >= health.maxTreeDepth);
  const treeDepthRate = treeDepthHits / transitions;
  if (treeDepthRate > limits.treeDepthWarnRate) {
    add({
      level: 'warn',
      text:
        rateText(
          `${treeDepthHits} of ${transitions} transitions hit the maximum tree depth ${health.maxTreeDepth}`,
          treeDepthRate,
          limits.treeDepthWarnRate,
        ) +
        ': some parameters trade off strongly (e.g. trend knots against seasonality ' +
        'or always-on media); fewer knots or harmonics ease it, or sampler.maxTreeDepth 12 lets the sampler take longer paths',
    });
  }

  const chainEbfmi = health.energy.map(ebfmi);
  chainEbfmi.forEach((value, c) => {
    const chain = `chain ${c + 1} of ${chains}`;
    if (!allFinite([health.energy[c]])) {
      add({ level: 'fail', text: `E-BFMI is undefined for ${chain}: its energy has non-finite values` });
    } else if (Number.isNaN(value)) {
      add({ level: 'fail', text: `E-BFMI is undefined for ${chain}: its energy never changes` });
    } else if (value < limits.ebfmiWarn) {
      const shown = formatBeyond(value, limits.ebfmiWarn, 'below', 2);
      add({
        level: 'warn',
        text:
          `E-BFMI ${shown} for ${chain} is below ${limits.ebfmiWarn}: the chain explores the posterior's ` +
          'spread slowly (often a hierarchical scale near zero); a longer sampler.warmup helps, or tighter priors on the geo spreads',
      });
    }
  });

  for (const finding of context.findings ?? []) add(finding);

  const fails = findings.filter((f) => f.level === 'fail');
  const warns = findings.filter((f) => f.level === 'warn');
  return {
    // Math.max and Math.min propagate NaN, so an undefined statistic is never hidden behind a finite one.
    maxRhat: summaries.reduce((worst, s) => Math.max(worst, s.rhat), Number.NEGATIVE_INFINITY),
    minEssBulk: summaries.reduce((worst, s) => Math.min(worst, s.essBulk), Number.POSITIVE_INFINITY),
    minEssTail: summaries.reduce((worst, s) => Math.min(worst, s.essTail), Number.POSITIVE_INFINITY),
    divergences,
    divergenceRate,
    treeDepthHits,
    minEbfmi: chainEbfmi.reduce((worst, value) => Math.min(worst, value), Number.POSITIVE_INFINITY),
    worstParameters: worstParameters(summaries, limits),
    verdict: fails.length > 0 ? 'fail' : warns.length > 0 ? 'warn' : 'pass',
    reasons: [...fails, ...warns].map((f) => f.text),
  };
}

/** Checks that the sampler statistics hold one equally long trace of each kind per chain. */
function healthShape(health: SamplerHealthInput): DrawsShape {
  const chains = health.divergent.length;
  if (chains === 0 || health.treeDepth.length !== chains || health.energy.length !== chains) {
    throw new DiagnosticsInputError(
      `sampler statistics: ${health.divergent.length} divergence, ${health.treeDepth.length} tree-depth and ` +
        `${health.energy.length} energy traces; expected one of each per chain`,
    );
  }
  if (!Number.isInteger(health.maxTreeDepth) || health.maxTreeDepth < 1) {
    throw new DiagnosticsInputError(`sampler statistics: maxTreeDepth ${health.maxTreeDepth} is not a positive integer`);
  }
  const draws = health.divergent[0].length;
  const traces = { divergent: health.divergent, treeDepth: health.treeDepth, energy: health.energy };
  for (const [trace, perChain] of Object.entries(traces)) {
    perChain.forEach((values, c) => {
      if (values.length !== draws) {
        throw new DiagnosticsInputError(
          `sampler statistics: ${trace} of chain ${c} has ${values.length} transitions but divergent of chain 0 has ${draws}`,
        );
      }
    });
  }
  if (draws === 0) throw new DiagnosticsInputError('sampler statistics: no transitions recorded');
  return { chains, draws };
}

function countWhere(perChain: readonly Uint8Array[], test: (value: number) => boolean): number {
  let count = 0;
  for (const values of perChain) for (let i = 0; i < values.length; i++) if (test(values[i])) count += 1;
  return count;
}

/**
 * "R-hat 1.12 for roi[TV] exceeds 1.05 (2 more parameters: sigma 1.09, beta[2] 1.06)"; offenders worst first;
 * then, when the worst parameter's family is known, ": on <family>, <cause>; <suggestion>".
 */
function valueFinding({
  level,
  statistic,
  offenders,
  limit,
  direction,
  decimals,
  explain,
}: {
  level: Level;
  statistic: string;
  offenders: Offender[];
  limit: number;
  direction: 'above' | 'below';
  decimals: number;
  explain: (name: string) => ParameterExplanation | null;
}): Finding | null {
  if (offenders.length === 0) return null;
  const [worst, ...others] = offenders;
  const verb = direction === 'above' ? 'exceeds' : 'is below';
  const more =
    others.length === 0 ? '' : ` (${moreParameters(others.map((o) => `${o.name} ${formatBeyond(o.value, limit, direction, decimals)}`))})`;
  const shown = formatBeyond(worst.value, limit, direction, decimals);
  const why = explain(worst.name);
  const plain = why === null ? '' : `: on ${why.family}, ${why.cause}; ${why.suggestion}`;
  return { level, text: `${statistic} ${shown} for ${worst.name} ${verb} ${limit}${more}${plain}` };
}

/** A finding naming parameters without a value: the first in `describe`, the rest after it. */
function nameFinding(level: Level, names: string[], describe: (name: string) => string): Finding | null {
  if (names.length === 0) return null;
  const [first, ...others] = names;
  return { level, text: describe(first) + (others.length === 0 ? '' : ` (${moreParameters(others)})`) };
}

/** "6 more parameters: a, b, c, d and 2 others", naming at most `namedOffenderCount`. */
function moreParameters(items: string[]): string {
  const named = items.slice(0, namedOffenderCount).join(', ');
  const rest = items.length - namedOffenderCount;
  const noun = items.length === 1 ? 'parameter' : 'parameters';
  const unnamed = rest === 1 ? ' and 1 other' : rest > 1 ? ` and ${rest} others` : '';
  return `${items.length} more ${noun}: ${named}${unnamed}`;
}

/** "21 of 2000 transitions diverged (1.05%, more than 1%)"; a zero limit is left unsaid. */
function rateText(what: string, rate: number, limit: number): string {
  const percent = Number(formatBeyond(rate * 100, limit * 100, 'above', 2));
  const limitPercent = Number((limit * 100).toPrecision(12));
  return `${what} (${percent}%${limit > 0 ? `, more than ${limitPercent}%` : ''})`;
}

/**
 * `value` with at least `decimals` decimals and as many more (up to 6) as it takes to print beyond
 * `limit`, so that a reason never reads "R-hat 1.05 exceeds 1.05".
 */
function formatBeyond(value: number, limit: number, direction: 'above' | 'below', decimals: number): string {
  for (let d = decimals; d <= 6; d++) {
    const shown = value.toFixed(d);
    if (direction === 'above' ? Number(shown) > limit : Number(shown) < limit) return shown;
  }
  return String(value);
}

/** The `worstParameterCount` parameters with the most severe findings, then highest R-hat, then lowest bulk ESS. */
function worstParameters(summaries: readonly NamedParameterSummary[], limits: DiagnosticThresholds): Diagnostics['worstParameters'] {
  const severity = (s: NamedParameterSummary): number => {
    if (Number.isNaN(s.rhat) || s.rhat > limits.rhatFail || s.essBulk < limits.essBulkFail) return 2;
    if (s.rhat > limits.rhatWarn || s.essBulk < limits.essBulkWarn || s.essTail < limits.essTailWarn) return 1;
    return 0;
  };
  const rhatOrder = (s: NamedParameterSummary): number => (Number.isNaN(s.rhat) ? Number.POSITIVE_INFINITY : s.rhat);
  const essOrder = (s: NamedParameterSummary): number => (Number.isNaN(s.essBulk) ? Number.NEGATIVE_INFINITY : s.essBulk);
  return summaries
    .map((s) => ({ s, severity: severity(s) }))
    .sort((a, b) => b.severity - a.severity || rhatOrder(b.s) - rhatOrder(a.s) || essOrder(a.s) - essOrder(b.s))
    .slice(0, worstParameterCount)
    .map(({ s }) => ({ name: s.name, rhat: s.rhat, essBulk: s.essBulk }));
}
