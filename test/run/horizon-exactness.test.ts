/**
 * Issue 14, acceptance 2: for 1,000 random plans — 20 random horizons (length, flighting even, historical
 * or custom with dark weeks, budgets, trend, countCarryover) x 50 random per-channel budgets each — the
 * paid-media outcome over the horizon per posterior draw, scored from the horizon's components (monotone
 * cubic interpolation on the stored factor grid), against the fitted model evaluated directly on the panel
 * extended by the plan (the model's own forward pass and decomposition: outcome with the plan's spend minus
 * outcome with none in the horizon), worst relative error <= 0.5%. Real fit: Meridian's national data
 * (5 channels, Hill, ROI priors, revenue per KPI), 2 chains x 500 draws, 200 draws evenly thinned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { periodOutcomeDraws } from '../../src/analysis/horizon-forecast.ts';
import type { FlightingKind } from '../../src/config/horizon-settings.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { createRng, type Rng } from '../../src/math/rng.ts';
import { extendModel } from '../../src/model/horizon/extended-model.ts';
import { buildHorizon, scaledFuture, type FittedRun, type HorizonPlanRequest } from '../../src/run/horizon.ts';
import { HorizonResponseSource, horizonCurves } from '../../src/run/horizon-response-source.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';
import { yieldToRunner } from '../support/yield-to-runner.ts';

const HORIZONS = 20;
const PLANS_PER_HORIZON = 50;
const DRAWS = 200;
const TOLERANCE = 0.005;

let run: FittedRun;

beforeAll(async () => {
  const { panel, config } = loadFitInputs(referenceFile('meridian/national_all_channels.csv'), exampleConfig('meridian-national.json'));
  const fitConfig = { ...config, sampler: { ...config.sampler, chains: 2, warmup: 500, draws: 500, seed: 1 } };
  const fit = await fitMmm(panel, fitConfig);
  run = { panel, config: fitConfig, posterior: fit.posterior, model: fit.model };
}, 300_000);

/** A random plan horizon: length 4-26 weeks, each channel's flighting, budgets, trend continuation and carry-over convention. */
function randomRequest(rng: Rng, channels: readonly string[]): HorizonPlanRequest {
  const weeks = 4 + Math.floor(23 * rng.uniform());
  const kinds: FlightingKind[] = ['even', 'historical', 'custom'];
  const channelFlighting = Object.fromEntries(channels.map((name) => [name, kinds[Math.floor(3 * rng.uniform())]]));
  const budgets = Object.fromEntries(
    channels.filter((name) => channelFlighting[name] !== 'custom' && rng.uniform() < 0.5).map((name) => [name, 1e5 + 2e6 * rng.uniform()]),
  );
  const customSpend = new Map(
    channels.map((name) => {
      // Bursts: about a third of the weeks dark, the rest log-normal around 300K; never all dark.
      const series = Float64Array.from({ length: weeks }, () => (rng.uniform() < 0.35 ? 0 : 3e5 * Math.exp(0.8 * rng.normal())));
      if (series.every((v) => v === 0)) series[Math.floor(weeks * rng.uniform())] = 2e5;
      return [name, series];
    }),
  );
  return {
    settings: {
      weeks,
      channelFlighting,
      trend: rng.uniform() < 0.5 ? 'last-slope' : 'flat',
      countCarryover: rng.uniform() < 0.5,
    },
    budgets,
    planSpend: { spendSource: 'the plan spend file', spend: customSpend, media: new Map(), controls: null, revenuePerKpi: null },
  };
}

describe('horizon components against the extended model evaluated directly (1,000 random plans)', () => {
  it('scores the paid-media outcome per draw within 0.5% of the model', async () => {
    const rng = createRng(14, 0);
    const { channels } = run.panel;
    let worst = 0;
    let worstPlan = '';
    let plans = 0;
    for (let h = 0; h < HORIZONS; h++) {
      const request = randomRequest(rng, channels);
      const horizon = buildHorizon(run, request, { maxDraws: DRAWS });
      const source = new HorizonResponseSource(horizon);
      const { curves } = horizonCurves(source);
      const { tStart, tEnd, drawIndices, settings } = horizon;
      const direct = (spend: Float64Array): Float64Array => {
        const model = extendModel(horizon.fitted, horizon.panel, scaledFuture(horizon, spend), settings.trend).model;
        const periods = tEnd - tStart;
        const perPeriod = periodOutcomeDraws(model, horizon.posterior, drawIndices, tStart, tEnd);
        return Float64Array.from({ length: drawIndices.length }, (_, d) => {
          let total = 0;
          for (let j = 0; j < periods; j++) total += perPeriod[d * periods + j];
          return total;
        });
      };
      const noSpend = direct(new Float64Array(channels.length));
      const interpolated = new Float64Array(curves.nDraws);
      for (let p = 0; p < PLANS_PER_HORIZON; p++) {
        await yieldToRunner();
        // Each channel's budget anywhere in [0, 3] x its reference (the stored grid), sometimes near zero.
        const spend = curves.historicalSpend.map(
          (reference) => reference * (rng.uniform() < 0.1 ? 0.01 * rng.uniform() : 3 * rng.uniform()),
        );
        interpolated.fill(0);
        channels.forEach((_, c) => curves.addChannel(c, spend[c], interpolated));
        const withSpend = direct(spend);
        for (let d = 0; d < curves.nDraws; d++) {
          const paid = withSpend[d] - noSpend[d];
          const error = Math.abs(interpolated[d] - paid) / Math.abs(paid);
          if (error > worst) {
            worst = error;
            worstPlan = `horizon ${h} (${JSON.stringify(request.settings)}), spend ${[...spend].map((v) => v.toFixed(0)).join(', ')}, draw ${d}`;
          }
        }
        plans++;
      }
    }
    console.log(
      `horizon exactness: ${plans} plans x ${DRAWS} draws, worst relative error of the paid-media outcome ${worst.toExponential(3)} (${worstPlan})`,
    );
    expect(plans).toBe(1000);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  }, 900_000);
});
