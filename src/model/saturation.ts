/**
 * Saturation (diminishing returns) applied after adstock, with the partial derivatives the
 * log-density gradient needs.
 */
import type { SaturationKind } from '../config/schema.ts';

/** Value and partials of one saturation evaluation; reused to avoid allocation in hot loops. */
export interface SaturationPoint {
  value: number;
  /** d h / d u */
  dInput: number;
  /** d h / d (ec for hill, lam for logistic) */
  dShape: number;
  /** d h / d slope (hill only; 0 for logistic) */
  dSlope: number;
}

/** Hill: h = u^s / (u^s + ec^s); logistic: h = (1 - e^{-lam u}) / (1 + e^{-lam u}) = tanh(lam u / 2). */
export function saturate(kind: SaturationKind, u: number, shape: number, slope: number, out: SaturationPoint): void {
  if (kind === 'logistic') {
    const h = Math.tanh((shape * u) / 2);
    const d = 0.5 * (1 - h * h);
    out.value = h;
    out.dInput = shape * d;
    out.dShape = u * d;
    out.dSlope = 0;
    return;
  }
  if (u <= 0) {
    out.value = 0;
    out.dInput = slope === 1 ? 1 / shape : 0;
    out.dShape = 0;
    out.dSlope = 0;
    return;
  }
  const q = slope === 1 ? u / shape : (u / shape) ** slope;
  const h = q / (1 + q);
  const hc = h * (1 - h);
  out.value = h;
  out.dInput = (slope * hc) / u;
  out.dShape = (-slope * hc) / shape;
  out.dSlope = hc * Math.log(u / shape);
}

/** Saturation value only (analysis and counterfactuals). */
export function saturationValue(kind: SaturationKind, u: number, shape: number, slope: number): number {
  if (kind === 'logistic') return Math.tanh((shape * u) / 2);
  if (u <= 0) return 0;
  const q = slope === 1 ? u / shape : (u / shape) ** slope;
  return q / (1 + q);
}

/**
 * Saturation of a whole series u[offset..offset+n) with its partials, one tight loop per kind
 * (the log-density's hot path; same formulas as `saturate`).
 */
export function saturateSeries(
  kind: SaturationKind, u: Float64Array, offset: number, n: number, shape: number, slope: number,
  value: Float64Array, dInput: Float64Array, dShape: Float64Array, dSlope: Float64Array,
): void {
  const end = offset + n;
  if (kind === 'logistic') {
    const half = 0.5 * shape;
    for (let i = offset; i < end; i++) {
      const h = Math.tanh(half * u[i]);
      const d = 0.5 * (1 - h * h);
      value[i] = h;
      dInput[i] = shape * d;
      dShape[i] = u[i] * d;
      dSlope[i] = 0;
    }
  } else if (slope === 1) {
    // h = u / (u + ec): dh/du = ec / (u + ec)^2, dh/dec = -u / (u + ec)^2
    for (let i = offset; i < end; i++) {
      const x = u[i];
      const inv = 1 / (x + shape);
      const h = x * inv;
      value[i] = h;
      dInput[i] = shape * inv * inv;
      dShape[i] = -h * inv;
      dSlope[i] = 0;
    }
  } else {
    for (let i = offset; i < end; i++) {
      const x = u[i];
      if (x <= 0) {
        value[i] = 0;
        dInput[i] = 0;
        dShape[i] = 0;
        dSlope[i] = 0;
        continue;
      }
      const q = (x / shape) ** slope;
      const h = q / (1 + q);
      const hc = h * (1 - h);
      value[i] = h;
      dInput[i] = (slope * hc) / x;
      dShape[i] = (-slope * hc) / shape;
      dSlope[i] = hc * Math.log(x / shape);
    }
  }
}
