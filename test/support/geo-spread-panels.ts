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
import { mmmConfigSchema, type MmmConfig } from '../../src/config/schema.ts';
import type { Panel } from '../../src/data/panel.ts';
import { createRng } from '../../src/math/rng.ts';
import { newDrawState, type MmmModel } from '../../src/model/mmm-model.ts';
import { SIMULATION_PRIORS, simulateDataset } from '../../src/model/simulate.ts';

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
 * The realised coefficient of control k in every geo at theta: the baseline (scaled units) is
 * sum_k gamma[g,k] z[g,t,k] plus terms without control k, and every pooling form gives gamma[g,k] = 0
 * when gamma_k and the geo coordinates of k are 0, so gamma[g,k] = sum_t d[g,t] z[g,t,k] / sum_t z^2
 * with d the change of the baseline between theta and theta with those coordinates zeroed.
 */
function controlCoefficients(theta: Float64Array, model: MmmModel, k: number): Float64Array {
  const { layout, data } = model;
  const { G, T, K } = data;
  const state = newDrawState(data, layout);
  const scratch = new Float64Array(layout.dim);
  model.evaluate(theta, state, scratch);
  const withControl = Float64Array.from(state.baseline);
  const zeroed = Float64Array.from(theta);
  zeroed[layout.gamma + k] = 0;
  for (let g = 0; g < G; g++) zeroed[layout.gammaGeo + g * K + k] = 0;
  model.evaluate(zeroed, state, scratch);
  return Float64Array.from({ length: G }, (_, g) => {
    let dz = 0;
    let zz = 0;
    for (let t = 0; t < T; t++) {
      const z = data.controls[(g * T + t) * K + k];
      dz += (withControl[g * T + t] - state.baseline[g * T + t]) * z;
      zz += z * z;
    }
    return dz / zz;
  });
}

/**
 * Writes the spec's spreads into theta: the media deviations eps[g,c] and eta_c; xi_k and the geo
 * coordinates of each control such that gamma[g,k] = gamma_k + spread z[g,k], whatever the pooling form
 * (centred or non-centred: gamma[g,k] is affine in its coordinate, so one Newton step from a measured
 * slope is exact); fresh intercepts from their prior (the level coordinates include the media
 * contribution, so they are reset after beta changes). Throws when beta or gamma[g,k] come out otherwise.
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
    const target = Float64Array.from({ length: G }, () => theta[layout.gamma + k] + spec.controlSpread * rng.normal());
    const before = controlCoefficients(theta, model, k);
    for (let g = 0; g < G; g++) {
      const coordinate = layout.gammaGeo + g * K + k;
      theta[coordinate] += 1;
      const slope = controlCoefficients(theta, model, k)[g] - before[g];
      theta[coordinate] += (target[g] - before[g]) / slope - 1;
    }
    const realised = controlCoefficients(theta, model, k);
    if (realised.some((v, g) => Math.abs(v - target[g]) > 1e-8)) {
      throw new Error(`geo-spread panels: the coefficients of control ${k} are not affine in their geo coordinates; update setGeoSpreads`);
    }
  }
  const intercepts = Float64Array.from({ length: G }, () => SIMULATION_PRIORS.baseline.scale * rng.normal());
  model.setIntercepts(theta, intercepts);
  checkMediaSpreads(theta, model);
}

/** The media spread must show in beta[g,c] = B_c exp(eta_c eps[g,c]). */
function checkMediaSpreads(theta: Float64Array, model: MmmModel): void {
  const { layout, data } = model;
  const { G, C } = data;
  const state = newDrawState(data, layout);
  model.evaluate(theta, state, new Float64Array(layout.dim));
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
