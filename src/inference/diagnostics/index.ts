/**
 * MCMC diagnostics: rank-normalised split R-hat, bulk and tail ESS, E-BFMI, posterior summaries and
 * the pass / warn / fail verdict over a fit. This module is their public face.
 */
export { splitRhat, essBulk, essTail, summarizeParameter, summarizeParameters } from './convergence.ts';
export type { ParameterSummary, NamedParameterSummary } from './convergence.ts';
export { ebfmi } from './energy.ts';
export { DiagnosticsInputError } from './draws.ts';
export {
  diagnose,
  diagnoseSummaries,
  assertDiagnosticsPass,
  DiagnosticsFailedError,
  defaultThresholds,
  diagnosticThresholdsSchema,
  worstParameterCount,
} from './verdict.ts';
export type {
  DiagnosticThresholds,
  Diagnostics,
  Finding,
  ParameterExplanation,
  SamplerHealthInput,
  Verdict,
  VerdictContext,
} from './verdict.ts';
