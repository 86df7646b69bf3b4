/**
 * The sampler's coordinates for a national model's level, time and control values w (mmm-model.ts): offsets from
 * the KPI's own ridge fit in units of each value's conditional posterior sd, u_j = (w_j - c_j) / sd_j(phi), so
 * that u keeps about unit scale whatever the AR(1) residual correlation phi. Under AR(1) the data pin the slow
 * parts of the mean through the quasi-differences y_t - phi y_{t-1}: a column x's information is its GLS quadratic
 * form over the innovation variance,
 *   a(phi) = x' Q(phi) x / (s^2 (1 - phi^2)),   x' Q x = sum_t x_t^2 + phi^2 sum_{0 < t < n-1} x_t^2 - 2 phi sum_t x_t x_{t-1},
 * Q the AR(1) precision with unit innovations and s^2 (1 - phi^2) the innovations' variance at the KPI's residual
 * variance s^2, and sd(phi) = (a(phi) + b)^(-1/2) with b the prior precision. For the level and the trend,
 * a(phi) is about (1 - phi) / (1 + phi) of its value at phi = 0: the coefficients' sd grows several-fold over
 * phi's posterior, a funnel no fixed metric follows (docs/model.md, "Sampler benchmarks"), and as phi nears 1 the
 * prior bounds it. Per column, cross-products left to the metric. Without AR(1) residuals sd is the constant sd(0).
 */

/** Per coordinate (level, time columns, controls), the sums the scale needs; and the ridge fit's centre. */
export interface BaselineCoordinates {
  /** The ridge coefficients of y on [1, time basis, controls] over the training window: where w sits. */
  centre: Float64Array;
  /** sum_t x_t^2, sum of x_t^2 over the inner weeks 0 < t < n - 1, and sum_t x_t x_{t-1}, per column. */
  sumSquares: Float64Array;
  innerSquares: Float64Array;
  lagProducts: Float64Array;
  /** 1 / prior sd^2 per coordinate. */
  priorPrecision: Float64Array;
  /** s^2, the KPI's residual variance in the least-squares fit on the columns. */
  noiseVariance: number;
}

/** The sums of BaselineCoordinates for the columns of `design` (n x p, row-major). */
export function columnSums(
  design: Float64Array,
  n: number,
  p: number,
): Pick<BaselineCoordinates, 'sumSquares' | 'innerSquares' | 'lagProducts'> {
  const sumSquares = new Float64Array(p);
  const innerSquares = new Float64Array(p);
  const lagProducts = new Float64Array(p);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < p; j++) {
      const x = design[t * p + j];
      sumSquares[j] += x * x;
      if (t > 0 && t < n - 1) innerSquares[j] += x * x;
      if (t > 0) lagProducts[j] += x * design[(t - 1) * p + j];
    }
  }
  return { sumSquares, innerSquares, lagProducts };
}

/**
 * sd_j and d log sd_j / dv at phi = tanh(v / 2) (v null: independent residuals, phi = 0 and no derivative), into
 * `sd` and `dLogSdDv`. `oneMinusPhiSq` is 1 - phi^2 computed without cancellation.
 */
export function baselineScales(
  coordinates: BaselineCoordinates,
  phi: number,
  oneMinusPhiSq: number,
  sd: Float64Array,
  dLogSdDv: Float64Array,
): void {
  const { sumSquares, innerSquares, lagProducts, priorPrecision, noiseVariance } = coordinates;
  for (let j = 0; j < sd.length; j++) {
    const quadratic = sumSquares[j] + phi * phi * innerSquares[j] - 2 * phi * lagProducts[j];
    const information = quadratic / (noiseVariance * oneMinusPhiSq);
    const precision = information + priorPrecision[j];
    sd[j] = 1 / Math.sqrt(precision);
    // da/dphi = (dQ/dphi (1 - phi^2) + 2 phi Q) / (s^2 (1 - phi^2)^2) and dphi/dv = (1 - phi^2) / 2, so
    // da/dv = (dQ/dphi + 2 phi Q / (1 - phi^2)) / (2 s^2); d log sd / dv = -(da/dv) / (2 (a + b)).
    const dQuadratic = 2 * phi * innerSquares[j] - 2 * lagProducts[j];
    const dInformationDv = (dQuadratic + (2 * phi * quadratic) / oneMinusPhiSq) / (2 * noiseVariance);
    dLogSdDv[j] = -dInformationDv / (2 * precision);
  }
}
