/**
 * Plain-language explanations of poor mixing by parameter family (the names of src/model/parameters.ts),
 * so that a failed verdict says what is likely wrong with the model and which config change helps,
 * not only which statistic crossed which threshold.
 */
import type { ParameterExplanation } from '../inference/diagnostics/index.ts';
import { ADSTOCK_KINDS, adstockFamily } from './adstock/index.ts';
import { SATURATION_KINDS, saturationFamily } from './saturation/index.ts';

/** The media curve's parameters: every adstock family's decay, every saturation family's shape, and the slope. */
const curveParameters = new Set([
  ...ADSTOCK_KINDS.map((kind) => adstockFamily(kind).decay.name),
  ...SATURATION_KINDS.map((kind) => saturationFamily(kind).shape.name),
  'slope',
]);

/** The text inside the brackets of "roi[search]" ("search"), or null for an unindexed name. */
function indexOf(name: string): string | null {
  const open = name.indexOf('[');
  return open < 0 || !name.endsWith(']') ? null : name.slice(open + 1, -1);
}

/** Explains a parameter of the MMM by the family its name belongs to; null for names it does not know. */
export function explainParameter(name: string, knots: number): ParameterExplanation | null {
  const family = name.replace(/\[.*$/, '');
  const index = indexOf(name);
  const channel = index?.split(',').at(-1) ?? '';
  const knotsNow = `model.knots, now ${knots}`;
  if (curveParameters.has(family)) {
    return {
      family: `the carry-over and saturation of ${channel}`,
      cause: `the shape of ${channel}'s response is weakly identified by its spend pattern`,
      suggestion: 'use a simpler shape (hillSlope "fixed", a shorter maxLag) or tighter priors (model.priors.ec)',
    };
  }
  // Per-geo coordinates of a pooled block name their geo: trend[geo,m] and gamma[geo,control] are sampled centred
  // (the geo's own value), trend_dev and gamma_dev non-centred (model/pooling/pooling-form.ts). Each form has
  // the geometry the other avoids, so the advice is to switch (model.geoPooling; "auto" chose this one).
  const perGeo = index?.includes(',') ?? false;
  if (family === 'trend' && perGeo) return centredPooling('trend', ', or model.geoTrend to "shared" when the geos grow alike');
  if (family === 'gamma' && perGeo) return centredPooling(`control ${channel}`);
  switch (family) {
    case 'trend':
      return {
        family: 'the baseline knots',
        cause: 'the baseline moves more than the model allows, or the knots trade off with always-on media',
        suggestion: `add knots (${knotsNow}) or a control for what moves the level (price, distribution, a competitor)`,
      };
    case 'trend_spread':
      return {
        family: 'the geo trends',
        cause:
          "the geos' trends are barely told apart from one shared trend (a funnel when they all move alike), or trade off with geo media effects",
        suggestion: `set model.geoTrend to "shared" when the geos grow alike, or ${SWITCH_POOLING}`,
      };
    case 'trend_dev':
      return nonCentredPooling('trend');
    case 'level':
      return {
        family: 'the baseline level',
        cause: 'the level is not separated from media that are always on',
        suggestion: `add knots (${knotsNow}) or controls so the baseline can follow the data, or an ROI prior from a lift test for the always-on channels`,
      };
    case 'season':
      return {
        family: 'the seasonality',
        cause: 'the seasonal terms compete with the trend knots or with media that follow the season',
        suggestion:
          'reduce model.seasonality.harmonics or the knots, set model.seasonality.drift to false when the seasonal pattern is stable, or add a holiday control for the peak weeks',
      };
    case 'gamma':
    case 'xi':
      return {
        family: `the control ${channel}`,
        cause: 'the control moves together with media spend or with the trend, so their effects cannot be told apart',
        suggestion: `check the control for collinearity with spend or the trend, or drop it${family === 'xi' ? `; in geo models ${SWITCH_POOLING}` : ''}`,
      };
    case 'gamma_dev':
      return nonCentredPooling(`control ${channel}`);
    case 'roi':
    case 'beta':
    case 'beta_dev':
    case 'eta':
      return {
        family: `the media effect of ${channel}`,
        cause: `the data cannot tell ${channel} apart from other channels or from the baseline (their spend moves together)`,
        suggestion: `give ${channel} an ROI prior from a lift test (data.channels[].prior), or add knots (${knotsNow}) if the baseline trends`,
      };
    case 'interaction':
      return {
        family: `the synergy of ${index?.replace(',', ' and ') ?? 'a channel pair'}`,
        cause:
          "the pair's spend moves together too little (or too much in step with each channel alone) to tell their joint effect from their own",
        suggestion: 'drop the pair from model.interactions, or tighten its prior (model.priors.interaction.scale)',
      };
    case 'phi':
      return {
        family: 'the correlation of the residuals from week to week',
        cause: 'what the model leaves unexplained moves slowly, so the residual correlation trades off with the baseline',
        suggestion: `add knots (${knotsNow}) or controls for what moves the KPI, or set model.residuals to "independent"`,
      };
    case 'sigma':
      return {
        family: 'the noise scale',
        cause: 'the model misses structure in the KPI, so the noise absorbs it unevenly across chains',
        suggestion: `see the misspecification checks; add knots (${knotsNow}) or controls`,
      };
    default:
      return null;
  }
}

const SWITCH_POOLING = 'set model.geoPooling to the other form ("centred" or "non_centred"; "auto" picks one per block from the data)';

/** A per-geo coefficient sampled as the geo's own value: the funnel of a spread near zero. `alternative` ends the advice. */
function centredPooling(block: string, alternative = ''): ParameterExplanation {
  return {
    family: `the geo values of the ${block}`,
    cause: `each geo's ${block} is sampled as its own value (centred), a funnel when the geos differ less than their data can tell`,
    suggestion: `set model.geoPooling to "non_centred"${alternative}`,
  };
}

/** A per-geo coefficient sampled as a deviation from the shared value: the ridge of geos that each pin theirs. */
function nonCentredPooling(block: string): ParameterExplanation {
  return {
    family: `the geo values of the ${block}`,
    cause: `each geo's ${block} is sampled as a deviation from the shared one (non-centred), a narrow ridge when each geo's data pin its own value`,
    suggestion: 'set model.geoPooling to "centred", or give the sampler more warm-up (sampler.warmup)',
  };
}
