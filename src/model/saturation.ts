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
