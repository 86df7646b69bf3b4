/**
 * The sampler-efficiency figures of one fit (issue 13, acceptance 1): times, minimum bulk ESS over all
 * parameters and over the channels' ROIs, ESS per second and per gradient evaluation, R-hat,
 * divergences. A channel's ROI is a derived quantity (incremental outcome / spend per draw), so its
 * ESS is computed from the draws here; bulk ESS is rank-based, so the currency of the ROI does not
 * matter.
 */
import { channelSpendTotals } from '../../../src/analysis/observed-totals.ts';
import type { Panel } from '../../../src/data/panel.ts';
import type { FitResult } from '../../../src/fit/fit-mmm.ts';
import { essBulk } from '../../../src/inference/diagnostics/index.ts';
import { channelOutcomeTotal } from '../../../src/model/decompose.ts';
import { DrawEvaluator } from '../../../src/model/posterior-draws.ts';

export interface FitFigures {
  wallSeconds: number;
  /** Slowest chain's warm-up and sampling seconds (chains run two at a time on this machine). */
  warmupSeconds: number;
  samplingSeconds: number;
  keptDraws: number;
  minEssBulk: number;
  minEssBulkParameter: string;
  minEssTail: number;
  minRoiEssBulk: number;
  minRoiChannel: string;
  /** Minimum bulk ESS over all parameters per second of the whole fit (sampling, diagnostics and analysis). */
  essPerSecond: number;
  /** Gradient evaluations (leapfrog steps) summed over chains. */
  warmupGradients: number;
  samplingGradients: number;
  /** Minimum bulk ESS per 1,000 gradient evaluations of warm-up and sampling together. */
  essPerThousandGradients: number;
  maxRhat: number;
  divergences: number;
  verdict: string;
}

/** Per-chain series of each channel's ROI over the kept draws. */
function roiChains(fit: FitResult, panel: Panel): Float64Array[][] {
  const { model, posterior } = fit;
  const spend = channelSpendTotals(panel);
  const evaluator = new DrawEvaluator(model, posterior);
  const chains = panel.channels.map(() => Array.from({ length: posterior.nChains }, () => new Float64Array(posterior.drawsPerChain)));
  for (let k = 0; k < posterior.nChains; k++) {
    for (let d = 0; d < posterior.drawsPerChain; d++) {
      const state = evaluator.load(k * posterior.drawsPerChain + d);
      panel.channels.forEach((_, c) => (chains[c][k][d] = channelOutcomeTotal(model.data, state, c, 1) / spend[c]));
    }
  }
  return chains;
}

export function fitFigures(fit: FitResult, panel: Panel): FitFigures {
  const worst = fit.parameters.reduce((a, b) => (b.essBulk < a.essBulk ? b : a));
  const roiEss = roiChains(fit, panel).map((chains) => essBulk(chains));
  const worstRoi = roiEss.indexOf(Math.min(...roiEss));
  const { warmup: warmupGradients, sampling: samplingGradients } = fit.gradientEvaluations;
  const d = fit.diagnostics;
  return {
    wallSeconds: fit.timing.wallSeconds,
    warmupSeconds: fit.timing.warmupSeconds,
    samplingSeconds: fit.timing.samplingSeconds,
    keptDraws: fit.posterior.nChains * fit.posterior.drawsPerChain,
    minEssBulk: worst.essBulk,
    minEssBulkParameter: worst.name,
    minEssTail: d.minEssTail,
    minRoiEssBulk: roiEss[worstRoi],
    minRoiChannel: panel.channels[worstRoi],
    essPerSecond: worst.essBulk / fit.timing.wallSeconds,
    warmupGradients,
    samplingGradients,
    essPerThousandGradients: (1000 * worst.essBulk) / (warmupGradients + samplingGradients),
    maxRhat: d.maxRhat,
    divergences: d.divergences,
    verdict: d.verdict,
  };
}
