/**
 * The datasets of the default-model study and the misspecification benchmark (issue 11, acceptance 3
 * and 4). Frozen before any study ran: the generator is deliberately unlike the model it tests, so
 * that coverage measured on it says something about real data rather than about the model's own
 * generative process (the simulation study, src/model/simulate.ts, covers that case):
 * - baselines with smooth (logistic or quadratic) or piecewise-linear trends whose breaks avoid the
 *   model's knot positions, or no trend at all;
 * - yearly seasonality of three harmonics (the model fits two by default) whose amplitude and phase
 *   drift over the years;
 * - a price index (autocorrelated, with promotion dips) and a holiday indicator whose effect varies
 *   by year, both given as controls;
 * - media with long or delayed-peak carry-over (Weibull-shaped weights over up to 13 weeks, beyond the
 *   model's default 8), Hill saturation of slope 0.6 to 2.2 (the model fixes 1) or exponential
 *   saturation, always-on channels whose budgets grow with the business (so trend and media are
 *   confounded, as in real exports), bursty flights for the rest;
 * - five geos with populations, per-geo media effects and per-geo trend strengths.
 * True ROIs are exact: each channel's incremental outcome is computed by removing its spend.
 */
import { mmmConfigSchema, type MmmConfig } from '../../../src/config/schema.ts';
import type { Panel } from '../../../src/data/panel.ts';
import { createRng, type Rng } from '../../../src/math/rng.ts';

export type TrendKind = 'none' | 'smooth' | 'piecewise';
export type TrendStrength = 'none' | 'mild' | 'strong';

export interface StudyDatasetSpec {
  id: string;
  seed: number;
  geos: number;
  weeks: number;
  trend: TrendKind;
  strength: TrendStrength;
}

export interface StudyDataset {
  spec: StudyDatasetSpec;
  panel: Panel;
  /** The product's default config for the data (every model and sampler option at its default). */
  config: MmmConfig;
  truth: { roi: number[]; contribution: number[]; spend: number[]; mediaShare: number };
  /** The control whose omission the misspecification benchmark tests (autocorrelated, material). */
  keyControl: string;
}

/** Total relative change of the baseline level over the data window, by strength. */
const TREND_CHANGE: Record<TrendStrength, [number, number]> = { none: [0, 0], mild: [0.1, 0.2], strong: [0.35, 0.7] };
const CHANNELS = ['search', 'social', 'video', 'display', 'tv'] as const;
/** Always-on channels (budgets follow demand and grow with the business) vs flighted ones. */
const ALWAYS_ON = new Set(['search', 'social']);

/**
 * The study's datasets: 20 national (4 without trend, 8 smooth, 8 piecewise; weeks 104 / 130 / 156)
 * and 5 five-geo (104 weeks). Strength alternates so that most trends are strong and some mild.
 */
export function studyDatasetSpecs(): StudyDatasetSpec[] {
  const kinds: TrendKind[] = ['none', 'smooth', 'piecewise', 'smooth', 'piecewise'];
  const specs: StudyDatasetSpec[] = [];
  for (let i = 0; i < 20; i++) {
    const trend = kinds[i % kinds.length];
    const strength: TrendStrength = trend === 'none' ? 'none' : i % 3 === 0 ? 'mild' : 'strong';
    specs.push({
      id: `national-${String(i + 1).padStart(2, '0')}`,
      seed: 9100 + i,
      geos: 1,
      weeks: [104, 130, 156][i % 3],
      trend,
      strength,
    });
  }
  const geoKinds: TrendKind[] = ['smooth', 'piecewise', 'none', 'smooth', 'piecewise'];
  geoKinds.forEach((trend, j) => {
    const strength: TrendStrength = trend === 'none' ? 'none' : j === 3 ? 'mild' : 'strong';
    specs.push({ id: `geo5-${j + 1}`, seed: 9300 + j, geos: 5, weeks: 104, trend, strength });
  });
  return specs;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.uniform();

/** Baseline trend multiplier m(t), m(0) = 1, total change `change` (signed), shaped by kind. */
function trendPath(rng: Rng, kind: TrendKind, change: number, T: number, knotsToAvoid: number[]): Float64Array {
  const out = new Float64Array(T).fill(1);
  if (kind === 'none') return out;
  if (kind === 'smooth') {
    if (rng.uniform() < 0.5) {
      // Logistic growth (or decline) centred somewhere in the middle half.
      const centre = uniform(rng, 0.3, 0.7) * T;
      const width = uniform(rng, 0.06, 0.15) * T;
      const s = (t: number) => 1 / (1 + Math.exp(-(t - centre) / width));
      const s0 = s(0);
      const s1 = s(T - 1);
      for (let t = 0; t < T; t++) out[t] = 1 + (change * (s(t) - s0)) / (s1 - s0);
    } else {
      // Quadratic: accelerating or decelerating.
      const curvature = uniform(rng, -0.9, 0.9);
      for (let t = 0; t < T; t++) {
        const x = t / (T - 1);
        out[t] = 1 + change * (x + curvature * x * (x - 1));
      }
    }
    return out;
  }
  // Piecewise linear with one or two breaks at least 3 weeks from any knot position of 2- to 6-knot models.
  const breaks: number[] = [];
  const nBreaks = rng.uniform() < 0.5 ? 1 : 2;
  for (let attempt = 0; breaks.length < nBreaks; attempt++) {
    if (attempt > 10000) throw new Error(`no break position off the knots in ${T} weeks`);
    const b = Math.round(uniform(rng, 0.2, 0.8) * T);
    if (knotsToAvoid.every((k) => Math.abs(k - b) >= 3) && breaks.every((o) => Math.abs(o - b) >= 12)) breaks.push(b);
  }
  breaks.sort((a, b) => a - b);
  const points = [0, ...breaks, T - 1];
  // Slopes of random sign between segments, the last one pushed towards the sign of `change`;
  // a reversal (growth then decline) is what one knot misreads most.
  const slopes = points.slice(1).map(() => uniform(rng, -1, 1));
  slopes[slopes.length - 1] += Math.sign(change) * 1.2;
  let level = 0;
  const raw = new Float64Array(T);
  let seg = 0;
  for (let t = 1; t < T; t++) {
    while (t > points[seg + 1]) seg++;
    level += slopes[seg];
    raw[t] = level;
  }
  // The largest excursion from the start is |change|; a negative change mirrors the path.
  let largest = 0;
  for (let t = 0; t < T; t++) largest = Math.max(largest, Math.abs(raw[t]));
  const scale = ((Math.sign(raw[T - 1]) || 1) * change) / largest;
  for (let t = 0; t < T; t++) out[t] = 1 + raw[t] * scale;
  return out;
}

/** Knot positions of piecewise-linear baselines with 2 to 6 knots over T weeks (breaks keep away from all of them). */
function knotPositions(T: number): number[] {
  const out: number[] = [];
  for (let n = 2; n <= 6; n++) for (let j = 0; j < n; j++) out.push((j * (T - 1)) / (n - 1));
  return out;
}

/** Yearly seasonality of three harmonics with drifting amplitude and phase, relative to the baseline level. */
function seasonalPath(rng: Rng, T: number): Float64Array {
  const amplitude = uniform(rng, 0.06, 0.15);
  const coefs = [0, 1, 2].map((j) => ({ a: rng.normal() / (j + 1), b: rng.normal() / (j + 1) }));
  const ampDrift = uniform(rng, -0.6, 0.6);
  const phaseDrift = uniform(rng, -4, 4);
  const raw = new Float64Array(T);
  let sd = 0;
  for (let t = 0; t < T; t++) {
    const phase = t + (phaseDrift * t) / T;
    let v = 0;
    coefs.forEach(({ a, b }, j) => {
      const angle = (2 * Math.PI * (j + 1) * phase) / 52.18;
      v += a * Math.sin(angle) + b * Math.cos(angle);
    });
    raw[t] = v * (1 + ampDrift * (t / T - 0.5));
    sd += v * v;
  }
  sd = Math.sqrt(sd / T);
  return raw.map((v) => (amplitude * v) / sd);
}

/** A price index around 1: AR(1) drift plus promotion dips of 5-15% lasting 1-3 weeks. */
function priceIndex(rng: Rng, T: number): Float64Array {
  const out = new Float64Array(T);
  let drift = 0;
  let promo = 0;
  for (let t = 0; t < T; t++) {
    drift = 0.92 * drift + 0.012 * rng.normal();
    if (promo === 0 && rng.uniform() < 0.06) promo = 1 + Math.floor(3 * rng.uniform());
    const dip = promo > 0 ? uniform(rng, 0.05, 0.15) : 0;
    if (promo > 0) promo--;
    out[t] = 1 + drift - dip;
  }
  return out;
}

/** Black Friday / Christmas weeks (47, 48, 51, 52 of each 52-week year), 0/1. */
function holidayIndicator(T: number): Float64Array {
  return new Float64Array(T).map((_, t) => ([46, 47, 50, 51].includes(t % 52) ? 1 : 0));
}

/** Carry-over weights over up to 13 weeks: geometric or Weibull-shaped delayed peak, normalised. */
function carryOverWeights(rng: Rng): Float64Array {
  const window = 13;
  const w = new Float64Array(window);
  if (rng.uniform() < 0.5) {
    const decay = uniform(rng, 0.15, 0.75);
    for (let l = 0; l < window; l++) w[l] = decay ** l;
  } else {
    const shape = uniform(rng, 1.5, 3);
    const scale = uniform(rng, 2, 6);
    for (let l = 0; l < window; l++) {
      const x = (l + 0.5) / scale;
      w[l] = (shape / scale) * x ** (shape - 1) * Math.exp(-(x ** shape));
    }
  }
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

/** Saturation of carried-over spend u relative to its mean: Hill with slope 0.6-2.2, or exponential. */
function saturationCurve(rng: Rng): (relative: number) => number {
  const half = uniform(rng, 0.5, 2.5);
  if (rng.uniform() < 0.7) {
    const slope = uniform(rng, 0.6, 2.2);
    return (u) => (u <= 0 ? 0 : u ** slope / (u ** slope + half ** slope));
  }
  return (u) => 1 - Math.exp(-u / half);
}

function flightedSpend(rng: Rng, T: number, level: number, alwaysOn: boolean, growth: number, demand: Float64Array): Float64Array {
  const out = new Float64Array(T);
  let on = rng.uniform() < 0.5;
  let step = 1;
  for (let t = 0; t < T; t++) {
    const grow = 1 + (growth * t) / T;
    if (alwaysOn) {
      if (rng.uniform() < 0.03) step = uniform(rng, 0.7, 1.4);
      out[t] = level * grow * step * (1 + 2 * demand[t]) * Math.exp(0.2 * rng.normal());
    } else {
      if (rng.uniform() < 0.18) on = !on;
      out[t] = on ? level * grow * Math.exp(0.4 * rng.normal()) : 0;
    }
  }
  return out;
}

export function generateStudyDataset(spec: StudyDatasetSpec): StudyDataset {
  const rng = createRng(spec.seed, 3);
  const { geos: G, weeks: T } = spec;
  const C = 4 + (rng.uniform() < 0.5 ? 1 : 0);
  const channels = CHANNELS.slice(0, C) as unknown as string[];
  const controlNames = ['price_index', 'holiday'];
  const K = controlNames.length;
  const geoNames = Array.from({ length: G }, (_, g) => (G === 1 ? 'national' : `region_${g + 1}`));
  const start = Date.UTC(2022, 0, 3);
  const dates = Array.from({ length: T }, (_, t) => new Date(start + t * 7 * 86400000).toISOString().slice(0, 10));
  const population = new Float64Array(G).map(() => (G === 1 ? 1 : Math.round(2e6 * Math.exp(0.6 * rng.normal()))));

  const [lo, hi] = TREND_CHANGE[spec.strength];
  const change = uniform(rng, lo, hi) * (rng.uniform() < 0.75 ? 1 : -1);
  const season = seasonalPath(rng, T);
  const holiday = holidayIndicator(T);
  const holidayLift = Array.from({ length: Math.ceil(T / 52) }, () => uniform(rng, 0.08, 0.25));
  const priceElasticity = uniform(rng, 1.5, 3);
  const businessGrowth = Math.max(-0.3, change * uniform(rng, 0.3, 1) + uniform(rng, -0.1, 0.2));

  // Per channel: weekly spend level (per 1M people), true ROI, carry-over and saturation.
  const roi = channels.map(() => Math.min(5, Math.max(0.3, Math.exp(Math.log(1.4) + 0.55 * rng.normal()))));
  const weights = channels.map(() => carryOverWeights(rng));
  const curves = channels.map(() => saturationCurve(rng));
  const levels = channels.map((name) => (ALWAYS_ON.has(name) ? 1 : 0.6) * 20000 * Math.exp(0.5 * rng.normal()));
  const geoEffect = channels.map(() => Array.from({ length: G }, () => (G === 1 ? 1 : Math.exp(0.2 * rng.normal()))));
  const mediaShare = uniform(rng, 0.15, 0.35);
  const noiseSd = uniform(rng, 0.03, 0.06);

  const spend = new Float64Array(G * T * C);
  const controls = new Float64Array(G * T * K);
  const kpi = new Float64Array(G * T);
  const response = new Float64Array(C * G * T);
  const baseline = new Float64Array(G * T);
  const trendPerGeo: Float64Array[] = [];
  const knotsToAvoid = knotPositions(T);
  for (let g = 0; g < G; g++) {
    const scale = population[g] / 1e6;
    const geoChange = change * (G === 1 ? 1 : uniform(rng, 0.7, 1.3));
    trendPerGeo.push(trendPath(createRng(spec.seed, 10 + (G === 1 ? 0 : g % 2)), spec.trend, geoChange, T, knotsToAvoid));
    const price = priceIndex(rng, T);
    for (let t = 0; t < T; t++) {
      controls[(g * T + t) * K] = Number(price[t].toFixed(4));
      controls[(g * T + t) * K + 1] = holiday[t];
    }
    channels.forEach((name, c) => {
      const series = flightedSpend(rng, T, levels[c] * (G === 1 ? 1 : scale), ALWAYS_ON.has(name), businessGrowth, season);
      for (let t = 0; t < T; t++) spend[(g * T + t) * C + c] = Math.round(series[t]);
    });
  }

  // Carried-over, saturated media per (channel, geo), then effect sizes fixed by the true ROIs.
  const spendTotal = channels.map((_, c) => {
    let s = 0;
    for (let i = 0; i < G * T; i++) s += spend[i * C + c];
    return s;
  });
  channels.forEach((_, c) => {
    let saturatedMass = 0;
    const shapes: Float64Array[] = [];
    for (let g = 0; g < G; g++) {
      const u = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        for (let l = 0; l < weights[c].length && l <= t; l++) u[t] += weights[c][l] * spend[(g * T + t - l) * C + c];
      }
      const mean = u.reduce((a, b) => a + b, 0) / T || 1;
      const h = u.map((v) => curves[c](v / mean));
      shapes.push(h);
      saturatedMass += geoEffect[c][g] * h.reduce((a, b) => a + b, 0);
    }
    // Incremental outcome = ROI x spend exactly: scale the saturated series to that total.
    const beta = (roi[c] * spendTotal[c]) / saturatedMass;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) response[(c * G + g) * T + t] = beta * geoEffect[c][g] * shapes[g][t];
  });

  // Baseline level per geo set so that paid media make up `mediaShare` of the outcome.
  const rng2 = createRng(spec.seed, 4);
  for (let g = 0; g < G; g++) {
    let media = 0;
    for (let c = 0; c < C; c++) for (let t = 0; t < T; t++) media += response[(c * G + g) * T + t];
    const level = ((media / T) * (1 - mediaShare)) / mediaShare;
    for (let t = 0; t < T; t++) {
      const price = controls[(g * T + t) * K];
      const holidayEffect = holiday[t] * holidayLift[Math.floor(t / 52)];
      const b = level * trendPerGeo[g][t] * (1 + season[t] + holidayEffect) * price ** -priceElasticity;
      baseline[g * T + t] = b;
      let y = b;
      for (let c = 0; c < C; c++) y += response[(c * G + g) * T + t];
      kpi[g * T + t] = Math.round(y + noiseSd * level * rng2.normal());
    }
  }

  const contribution = channels.map((_, c) => response.subarray(c * G * T, (c + 1) * G * T).reduce((a, b) => a + b, 0));
  const panel: Panel = {
    geos: geoNames,
    dates,
    channels,
    controlNames,
    kpiType: 'revenue',
    kpi,
    spend,
    media: spend,
    controls,
    population,
    revenuePerKpi: null,
  };
  const config = mmmConfigSchema.parse({
    data: {
      date: 'week',
      kpi: 'revenue',
      geo: G === 1 ? null : 'geo',
      population: G === 1 ? null : 'population',
      channels: channels.map((name) => ({ name, spend: `${name}_spend` })),
      controls: controlNames,
    },
  });
  const outcome = kpi.reduce((a, b) => a + b, 0);
  return {
    spec,
    panel,
    config,
    keyControl: 'price_index',
    truth: { roi, contribution, spend: spendTotal, mediaShare: contribution.reduce((a, b) => a + b, 0) / outcome },
  };
}

/** The panel without one control (the misspecification benchmark's "missing control" case). */
export function withoutControl(dataset: StudyDataset, control: string): { panel: Panel; config: MmmConfig } {
  const { panel, config } = dataset;
  const k = panel.controlNames.indexOf(control);
  if (k < 0) throw new Error(`control '${control}' is not in the dataset`);
  const K = panel.controlNames.length;
  const rows = panel.geos.length * panel.dates.length;
  const controls = new Float64Array(rows * (K - 1));
  for (let i = 0; i < rows; i++) {
    let j = 0;
    for (let kk = 0; kk < K; kk++) if (kk !== k) controls[i * (K - 1) + j++] = panel.controls[i * K + kk];
  }
  return {
    panel: { ...panel, controlNames: panel.controlNames.filter((name) => name !== control), controls },
    config: { ...config, data: { ...config.data, controls: config.data.controls.filter((name) => name !== control) } },
  };
}
