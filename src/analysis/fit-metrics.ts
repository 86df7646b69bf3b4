/** Goodness of fit of the posterior-mean prediction against the observed KPI. */

export interface FitMetrics {
  /** R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 */
  r2: number;
  /** MAPE = mean |y - yhat| / |y| over non-zero y */
  mape: number;
  /** wMAPE = sum |y - yhat| / sum |y| */
  wmape: number;
}

export function fitMetrics(observed: ArrayLike<number>, predicted: ArrayLike<number>, indices: readonly number[]): FitMetrics {
  let mean = 0;
  for (const i of indices) mean += observed[i];
  mean /= indices.length;
  let ssRes = 0;
  let ssTot = 0;
  let absErr = 0;
  let absObs = 0;
  let apeSum = 0;
  let apeCount = 0;
  for (const i of indices) {
    const err = observed[i] - predicted[i];
    ssRes += err * err;
    ssTot += (observed[i] - mean) ** 2;
    absErr += Math.abs(err);
    absObs += Math.abs(observed[i]);
    if (observed[i] !== 0) {
      apeSum += Math.abs(err) / Math.abs(observed[i]);
      apeCount++;
    }
  }
  return { r2: 1 - ssRes / ssTot, mape: apeSum / apeCount, wmape: absErr / absObs };
}
