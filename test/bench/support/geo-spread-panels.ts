/**
 * Synthetic geo panels whose geo spreads of media effects (eta) and control effects (xi) are set
 * explicitly, from zero to large, for the divergence benchmark (issue 13, acceptance 2): a spread
 * near zero is where a hierarchical fit meets its funnel. Every other parameter is drawn from the
 * simulation priors (src/model/simulate.ts); the spreads are written into the drawn truth before the
 * outcomes are generated.
 * - media spread: the sd over geos of log beta[g,c] (beta[g,c] = B_c exp(eta_c eps[g,c]));
 * - control spread: the sd over geos of the control coefficient gamma[g,k] around gamma_k, in scaled
 *   KPI units per standardised control (the simulation prior of gamma_k is Normal(0, 0.5)).
 */
import { mmmConfigSchema, type MmmConfig } from '../../../src/config/schema.ts';
import type { Panel } from '../../../src/data/panel.ts';
import { createRng } from '../../../src/math/rng.ts';
import { newDrawState, type MmmModel } from '../../../src/model/mmm-model.ts';
import { SIMULATION_PRIORS, simulateDataset } from '../../../src/model/simulate.ts';

export interface SpreadPanelSpec {
  id: string;
  seed: number;
  geos: number;
  mediaSpread: number;
  controlSpread: number;
}

export interface SpreadPanel {
  spec: SpreadPanelSpec;
  panel: Panel;
  /** The product's default config for the data (every model and sampler option at its default). */
  config: MmmConfig;
  truth: { roi: number[] };
}

const WEEKS = 104;
const CHANNELS = 3;
const CONTROLS = 2;

/** Twelve panels of 5-20 geos: both spreads zero, one zero and the other small to large, both non-zero. */
export function spreadPanelSpecs(): SpreadPanelSpec[] {
  const grid: [number, number, number][] = [
    // [geos, media spread, control spread]
    [5, 0, 0],
    [10, 0, 0],
    [20, 0, 0],
    [10, 0, 0.05],
    [10, 0, 0.4],
    [12, 0, 0.15],
    [10, 0.1, 0],
    [8, 0.3, 0],
    [10, 0.8, 0],
    [15, 0.3, 0.15],
    [20, 0.1, 0.05],
    [5, 0.8, 0.4],
  ];
  return grid.map(([geos, mediaSpread, controlSpread], i) => ({
    id: `geo-${String(i + 1).padStart(2, '0')}`,
    seed: 9500 + i,
    geos,
    mediaSpread,
    controlSpread,
  }));
}

/** Log of a spread on the model's log scale; a zero spread is realised by zero deviations, its scale coordinate stays finite. */
const logSpread = (spread: number): number => Math.log(Math.max(spread, 1e-3));

/**
 * Writes the spec's spreads into theta: the media deviations eps[g,c] and eta_c, the per-geo control
 * coefficients gamma[g,k] = gamma_k + spread z[g,k] and xi_k, and fresh intercepts from their prior
 * (the geo level coordinates include the media contribution, so they are reset after beta changes).
 * Throws when the model's parameterisation no longer matches what is written here.
 */
function setGeoSpreads(spec: SpreadPanelSpec, theta: Float64Array, model: MmmModel): void {
  const { layout, data } = model;
  const { G, C, K } = data;
  const rng = createRng(spec.seed, 7);
  for (let c = 0; c < C; c++) {
    theta[layout.eta + c] = logSpread(spec.mediaSpread);
    for (let g = 0; g < G; g++) theta[layout.mediaEps + g * C + c] = spec.mediaSpread > 0 ? rng.normal() : 0;
  }
  for (let k = 0; k < K; k++) {
    theta[layout.xi + k] = logSpread(spec.controlSpread);
    for (let g = 0; g < G; g++) theta[layout.gammaGeo + g * K + k] = theta[layout.gamma + k] + spec.controlSpread * rng.normal();
  }
  const intercepts = Float64Array.from({ length: G }, () => SIMULATION_PRIORS.baseline.scale * rng.normal());
  model.setIntercepts(theta, intercepts);
  checkRealisedSpreads(spec, theta, model);
}

/** The media spread must show in beta[g,c]; the per-geo control coefficients must be coordinates of their own (centred pooling). */
function checkRealisedSpreads(spec: SpreadPanelSpec, theta: Float64Array, model: MmmModel): void {
  const { layout, data } = model;
  const { G, C, K } = data;
  const state = newDrawState(data, layout);
  const scratch = new Float64Array(layout.dim);
  model.evaluate(theta, state, scratch);
  for (let c = 0; c < C; c++) {
    const eta = Math.exp(theta[layout.eta + c]);
    for (let g = 0; g < G; g++) {
      const realised = Math.log(state.beta[g * C + c] / state.beta[c]);
      const intended = eta * (theta[layout.mediaEps + g * C + c] - theta[layout.mediaEps + c]);
      if (Math.abs(realised - intended) > 1e-9) {
        throw new Error(
          "geo-spread panels: beta[g,c] is no longer B_c exp(eta_c eps[g,c]); update setGeoSpreads to the model's parameterisation",
        );
      }
    }
  }
  const baseline = Float64Array.from(state.baseline);
  const moved = Float64Array.from(theta);
  for (let k = 0; k < K; k++) moved[layout.gamma + k] += 1;
  model.evaluate(moved, state, scratch);
  if (state.baseline.some((v, i) => Math.abs(v - baseline[i]) > 1e-9)) {
    throw new Error(
      'geo-spread panels: the per-geo control coefficients are no longer centred on gamma_k (moving gamma_k moved the baseline); update setGeoSpreads to the model parameterisation',
    );
  }
}

export function generateSpreadPanel(spec: SpreadPanelSpec): SpreadPanel {
  const sim = simulateDataset({
    geos: spec.geos,
    weeks: WEEKS,
    channels: CHANNELS,
    controls: CONTROLS,
    seed: spec.seed,
    noiseSd: 0.3,
    adjustTruth: (theta, model) => setGeoSpreads(spec, theta, model),
  });
  return { spec, panel: sim.panel, config: mmmConfigSchema.parse({ data: sim.config.data }), truth: { roi: sim.truth.roi } };
}
