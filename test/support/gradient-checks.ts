/**
 * The two checks of the MMM's hand-written gradient (test/model/gradient.test.ts, and each saturation or
 * adstock family's own tests): central finite differences (float64) and tf.grad of the independent tfjs
 * implementation (float32, so a looser tolerance), at random points.
 */
import { expect } from 'vitest';
import type { SaturationKind } from '../../src/config/schema.ts';
import { createRng } from '../../src/math/rng.ts';
import type { MmmModel } from '../../src/model/mmm-model.ts';
import { loadTensorflow } from './tensorflow.ts';
import { referenceSaturations, tfjsLogDensity, type ReferenceSaturation } from './tfjs-mmm-log-density.ts';

const { tf } = await loadTensorflow();

function randomPoint(dim: number, seed: number): Float64Array {
  const rng = createRng(seed, 7);
  return Float64Array.from({ length: dim }, () => 0.8 * rng.normal());
}

export function expectGradientMatchesFiniteDifferences(model: MmmModel): void {
  for (let trial = 0; trial < 3; trial++) {
    const theta = randomPoint(model.dim, 100 + trial);
    const grad = new Float64Array(model.dim);
    const scratch = new Float64Array(model.dim);
    const value = model.logDensityGradient(theta, grad);
    expect(Number.isFinite(value)).toBe(true);
    for (let i = 0; i < model.dim; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(theta[i]));
      const saved = theta[i];
      theta[i] = saved + h;
      const up = model.logDensityGradient(theta, scratch);
      theta[i] = saved - h;
      const down = model.logDensityGradient(theta, scratch);
      theta[i] = saved;
      const numeric = (up - down) / (2 * h);
      const tolerance = 1e-5 * Math.max(1, Math.abs(numeric), Math.abs(value) * 1e-3);
      if (Math.abs(grad[i] - numeric) > tolerance) {
        throw new Error(`${model.layout.names[i]}: analytic ${grad[i]} vs finite difference ${numeric}`);
      }
    }
  }
}

/** `saturations`: the reference's curves, to which a new family's test adds its own. */
export function expectGradientMatchesTfjs(
  model: MmmModel,
  saturations: Partial<Record<SaturationKind, ReferenceSaturation>> = referenceSaturations,
): void {
  const logDensity = (t: Parameters<typeof tfjsLogDensity>[3]) => tfjsLogDensity(tf, model.data, model.layout, t, saturations);
  const gradient = tf.grad(logDensity);
  for (let trial = 0; trial < 2; trial++) {
    const theta = randomPoint(model.dim, 200 + trial);
    const grad = new Float64Array(model.dim);
    const value = model.logDensityGradient(theta, grad);
    const reference = tf.tidy(() => gradient(tf.tensor1d(Float32Array.from(theta))).dataSync());
    const referenceValue = tf.tidy(() => logDensity(tf.tensor1d(Float32Array.from(theta))).dataSync()[0]);
    // Constants differ (normalising terms dropped alike), so values agree exactly up to float32 rounding.
    expect(Math.abs(referenceValue - value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
    let norm = 0;
    for (let i = 0; i < model.dim; i++) norm = Math.max(norm, Math.abs(grad[i]));
    for (let i = 0; i < model.dim; i++) {
      if (Math.abs(grad[i] - reference[i]) > 2e-4 * Math.max(1, norm)) {
        throw new Error(`${model.layout.names[i]}: analytic ${grad[i]} vs tf.grad ${reference[i]}`);
      }
    }
  }
}
