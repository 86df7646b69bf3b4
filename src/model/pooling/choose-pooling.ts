/**
 * Centred or non-centred pooling for a block of per-geo coefficients, from how tightly each geo's own data pin
 * them. Centring suits coefficients the data identify well and non-centring those they barely inform
 * (Papaspiliopoulos, Roberts and Skold 2007; Betancourt and Girolami 2015): on 10-geo panels with one control
 * effect shared by every geo the centred form diverged in 1-2% of transitions, while on Meridian's 40-geo data,
 * whose geos each pin their control coefficients, the non-centred form mixed slowest (docs/model.md).
 *
 * Per block, with estimates b_g and standard errors s_g of each geo's coefficient from its own data:
 *   S = mean_g s_g^2,  tau^2 = max(0, var_g(b_g) - S)   (method of moments, DerSimonian and Laird 1986)
 * and the block is centred when tau^2 > S: the geos differ by more than one geo's data leave uncertain. A block of
 * several coefficients (the trend contrasts share one spread) averages S and tau^2 over them.
 */
import type { PoolingKind } from './pooling-form.ts';

export interface PerGeoEstimates {
  /** G x p estimates, row-major (p coefficients of the block per geo). */
  estimates: Float64Array;
  /** G x p standard errors; Infinity where a geo's data do not identify the coefficient. */
  standardErrors: Float64Array;
  geos: number;
  coefficients: number;
}

export interface PoolingEvidence {
  kind: PoolingKind;
  /** tau^2: the between-geo variance beyond what the standard errors explain. */
  spreadVariance: number;
  /** S: the mean squared standard error of one geo's estimate. */
  standardErrorVariance: number;
}

export function choosePooling({ estimates, standardErrors, geos, coefficients }: PerGeoEstimates): PoolingEvidence {
  let spreadVariance = 0;
  let standardErrorVariance = 0;
  for (let j = 0; j < coefficients; j++) {
    let mean = 0;
    let squaredErrors = 0;
    for (let g = 0; g < geos; g++) {
      mean += estimates[g * coefficients + j] / geos;
      squaredErrors += standardErrors[g * coefficients + j] ** 2 / geos;
    }
    let between = 0;
    for (let g = 0; g < geos; g++) between += (estimates[g * coefficients + j] - mean) ** 2 / (geos - 1);
    spreadVariance += Math.max(0, between - squaredErrors) / coefficients;
    standardErrorVariance += squaredErrors / coefficients;
  }
  // Infinite or undefined standard errors say the data do not pin the coefficients: non-centred.
  const kind: PoolingKind = Number.isFinite(standardErrorVariance) && spreadVariance > standardErrorVariance ? 'centred' : 'non_centred';
  return { kind, spreadVariance, standardErrorVariance };
}
