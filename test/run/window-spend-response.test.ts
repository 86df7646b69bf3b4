import { describe, expect, it } from 'vitest';
import type { MmmConfigInput } from '../../src/config/schema.ts';
import { createRng } from '../../src/math/rng.ts';
import { channelOutcomeTotal } from '../../src/model/decompose.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { DrawEvaluator, type PosteriorDraws } from '../../src/model/posterior-draws.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { MmmResponseSource, ResponseSourceError } from '../../src/run/mmm-response-source.ts';
import { WindowSpendResponse } from '../../src/run/window-spend-response.ts';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** A simulated panel with draws scattered around its truth, and a response source over weeks [tStart, tEnd). */
function simulatedSource(geos: number, model: MmmConfigInput['model'], tStart: number, tEnd: number, seed = 5) {
  const { panel, config, theta } = simulateDataset({ geos, weeks: 70, channels: 2, controls: 1, seed, noiseSd: 0.3, model });
  const mmm = createMmmModel(panel, config);
  const nDraws = 6;
  const rng = createRng(seed, 1);
  const posterior: PosteriorDraws = {
    nChains: 1,
    drawsPerChain: nDraws,
    dim: mmm.dim,
    theta: Float64Array.from({ length: nDraws * mmm.dim }, (_, i) => theta[i % mmm.dim] + 0.2 * rng.normal()),
  };
  const source = new MmmResponseSource(mmm, panel, posterior, { window: { start: panel.dates[tStart], end: panel.dates[tEnd - 1] } });
  return { panel, config, mmm, posterior, source };
}

// The last case's window is shorter than the adstock (maxLag 6): the pre-window carry-in reaches past its end.
const cases = [
  { geos: 1, weeks: 13, adstock: 'geometric', saturation: 'hill', hillSlope: 'learned' },
  { geos: 3, weeks: 13, adstock: 'binomial', saturation: 'hill', hillSlope: 'fixed' },
  { geos: 2, weeks: 13, adstock: 'geometric', saturation: 'logistic', hillSlope: 'fixed' },
  { geos: 1, weeks: 4, adstock: 'binomial', saturation: 'hill', hillSlope: 'learned' },
] as const;

describe.each(cases)(
  'spend path response ($geos geos, $weeks weeks, $adstock adstock, $saturation, slope $hillSlope)',
  ({ geos, weeks, ...model }) => {
    const tStart = 40;
    const tEnd = tStart + weeks;
    const { panel, config, mmm, posterior, source } = simulatedSource(geos, { ...model, maxLag: 6 }, tStart, tEnd);
    const n = tEnd - tStart;
    const { G, T, C } = mmm.data;

    /** The window's spend of channel c, summed over geos, per week. */
    const windowSpend = (c: number) =>
      Float64Array.from({ length: n }, (_, j) => {
        let s = 0;
        for (let g = 0; g < G; g++) s += panel.spend[(g * T + tStart + j) * C + c];
        return s;
      });

    it.each([false, true])('has the gradient of its finite differences (countCarryover %s)', (countCarryover) => {
      for (let c = 0; c < C; c++) {
        const response = new WindowSpendResponse(source, c, { countCarryover });
        const rng = createRng(11, c);
        const typical = source.historicalSpend[c] / n;
        const x = Float64Array.from({ length: n }, () => typical * 2 * rng.uniform());
        const gradient = new Float64Array(n);
        const value = response.evaluate(x, undefined, gradient);
        expect(value).toBeGreaterThan(0);
        for (let k = 0; k < n; k++) {
          const h = 1e-5 * typical;
          const up = Float64Array.from(x);
          const down = Float64Array.from(x);
          up[k] += h;
          down[k] -= h;
          const numeric = (response.evaluate(up) - response.evaluate(down)) / (2 * h);
          expect(Math.abs(gradient[k] - numeric)).toBeLessThan(1e-6 * Math.max(...gradient.map(Math.abs)));
        }
      }
    });

    it("gives, per draw, the re-run model's outcome of the path (window spend replaced, no spend after it)", () => {
      // Direct: the model's own media with the channel's window replaced by a_g x_t and, when carry-over is
      // counted, no media in the maxLag periods after the window; outcome of the window (and those periods)
      // minus the same with no media in the window. beta held at the draw's value, as in the source's test.
      for (const countCarryover of [false, true]) {
        for (let c = 0; c < C; c++) {
          const response = new WindowSpendResponse(source, c, { countCarryover });
          const rng = createRng(3, c);
          const x = Float64Array.from({ length: n }, () => (source.historicalSpend[c] / n) * 3 * rng.uniform() ** 2);
          const perDraw = new Float64Array(source.nDraws);
          response.evaluate(x, perDraw);
          const end = countCarryover ? tEnd + mmm.data.model.maxLag : tEnd;
          /** The model with channel c's media in the window set to a_g path_t (0 without a path) and none after it up to `end`. */
          const withPath = (path: Float64Array | null) => {
            const m = createMmmModel(panel, config);
            for (let g = 0; g < G; g++) {
              const series = (c * G + g) * T;
              let windowMedia = 0;
              for (let t = tStart; t < tEnd; t++) windowMedia += mmm.data.media[series + t];
              const perSpend = windowMedia / source.historicalSpend[c];
              for (let j = 0; j < n; j++) m.data.media[series + tStart + j] = path ? perSpend * path[j] : 0;
              for (let t = tEnd; t < end; t++) m.data.media[series + t] = 0;
            }
            return new DrawEvaluator(m, posterior);
          };
          const fitted = new DrawEvaluator(mmm, posterior);
          const timed = withPath(x);
          const off = withPath(null);
          for (let d = 0; d < source.nDraws; d++) {
            const beta = fitted.load(d).beta;
            const timedState = timed.load(d);
            timedState.beta.set(beta);
            const on = channelOutcomeTotal(mmm.data, timedState, c, 1, tStart, end);
            const offState = off.load(d);
            offState.beta.set(beta);
            const expected = on - channelOutcomeTotal(mmm.data, offState, c, 1, tStart, end);
            expect(relative(perDraw[d], expected)).toBeLessThan(1e-10);
          }
        }
      }
    });

    it.runIf(geos === 1)('reproduces g_c(f) for f x the window spend (national: the geo split is the same every week)', () => {
      for (let c = 0; c < C; c++) {
        const response = new WindowSpendResponse(source, c, { countCarryover: false });
        const spend = windowSpend(c);
        const perDraw = new Float64Array(source.nDraws);
        const expected = new Float64Array(source.nDraws);
        for (const f of [0.4, 1, 2.2]) {
          response.evaluate(
            spend.map((v) => f * v),
            perDraw,
          );
          source.channelContribution(c, f, expected);
          for (let d = 0; d < source.nDraws; d++) expect(relative(perDraw[d], expected[d])).toBeLessThan(1e-10);
        }
      }
    });
  },
);

describe('channelPathDraws', () => {
  it('refuses a channel with no spend in the window, naming it', () => {
    const { panel, config, theta } = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 1, seed: 2, noiseSd: 0.3 });
    const C = panel.channels.length;
    const T = panel.dates.length;
    for (let t = 50; t < T; t++) panel.spend[t * C + 1] = 0;
    const model = createMmmModel(panel, config);
    const posterior: PosteriorDraws = { nChains: 1, drawsPerChain: 1, dim: model.dim, theta };
    const source = new MmmResponseSource(model, panel, posterior, { window: { start: panel.dates[50], end: panel.dates[T - 1] } });
    expect(() => new WindowSpendResponse(source, 1, { countCarryover: false })).toThrow(ResponseSourceError);
    expect(() => new WindowSpendResponse(source, 1, { countCarryover: false })).toThrow("channel 'ch1' has no spend in the window");
  });
});
