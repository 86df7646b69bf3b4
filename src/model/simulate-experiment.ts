/**
 * A lift test on simulated data with known truth: the true incremental outcome of a channel's spend in a
 * window (the model's implied outcome at the true parameters, src/model/experiments/experiment-term.ts), as
 * an experiment reports it: an estimate drawn around the truth with a chosen standard error.
 */
import type { Experiment } from '../config/experiment-config.ts';
import type { MmmConfig } from '../config/schema.ts';
import type { Panel } from '../data/panel.ts';
import type { Rng } from '../math/rng.ts';
import { createMmmModel } from './model.ts';

export interface SimulatedExperimentSpec {
  id: string;
  channel: string;
  /** null: national (every geo). */
  geo: string | null;
  /** Weeks of the data, inclusive (ISO dates). */
  start: string;
  end: string;
  counterfactualSpend?: number;
  /** Standard error as a share of the true incremental outcome. */
  relativeStandardError: number;
}

/** The channel's spend in the window and geo(s). */
export function windowSpend(panel: Panel, channel: string, geo: string | null, start: string, end: string): number {
  const c = panel.channels.indexOf(channel);
  const T = panel.dates.length;
  let spend = 0;
  panel.geos.forEach((name, g) => {
    if (geo !== null && name !== geo) return;
    panel.dates.forEach((date, t) => {
      if (date >= start && date <= end) spend += panel.spend[(g * T + t) * panel.channels.length + c];
    });
  });
  return spend;
}

/** The experiment with its true incremental outcome at `theta` and, with `rng`, an estimate drawn as N(truth, se). */
export function simulateExperiment(
  panel: Panel,
  config: MmmConfig,
  theta: Float64Array,
  spec: SimulatedExperimentSpec,
  rng?: Rng,
): { experiment: Experiment; trueOutcome: number } {
  const draft: Experiment = {
    id: spec.id,
    channel: spec.channel,
    geo: spec.geo,
    start: spec.start,
    end: spec.end,
    incrementalOutcome: 0,
    standardError: 1,
    spend: windowSpend(panel, spec.channel, spec.geo, spec.start, spec.end),
    counterfactualSpend: spec.counterfactualSpend ?? 0,
  };
  const [trueOutcome] = createMmmModel(panel, { ...config, experiments: [draft] }).experimentOutcomes(theta);
  const standardError = spec.relativeStandardError * Math.abs(trueOutcome);
  const estimate = rng ? trueOutcome + standardError * rng.normal() : trueOutcome;
  return { experiment: { ...draft, incrementalOutcome: estimate, standardError }, trueOutcome };
}
