/**
 * Acceptance: the hand-written gradient equals central finite differences (float64) and tfjs
 * autodiff of an independent implementation (float32, so a looser tolerance) at random points,
 * for national and geo models and every adstock / saturation / prior / likelihood option.
 */
import { describe, expect, it } from 'vitest';
import type { MmmConfigInput } from '../../src/config/schema.ts';
import { createRng } from '../../src/math/rng.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { loadTensorflow } from '../support/tensorflow.ts';
import { tfjsLogDensity } from '../support/tfjs-mmm-log-density.ts';

const { tf } = await loadTensorflow();

interface Case { label: string; geos: number; model: NonNullable<MmmConfigInput['model']> }

const cases: Case[] = [
  { label: 'national geometric hill roi', geos: 1, model: { adstock: 'geometric', saturation: 'hill', maxLag: 4, knots: 3 } },
  { label: 'national binomial logistic', geos: 1, model: { adstock: 'binomial', saturation: 'logistic', maxLag: 4 } },
  { label: 'national hill learned slope, coefficient prior, student-t', geos: 1,
    model: { saturation: 'hill', hillSlope: 'learned', likelihood: 'student_t', priors: { media: { type: 'coefficient', scale: 5 } } } },
  { label: 'geo geometric hill', geos: 4, model: { adstock: 'geometric', saturation: 'hill', maxLag: 3 } },
  { label: 'geo binomial logistic, sigma per geo, holdout', geos: 3, model: { adstock: 'binomial', saturation: 'logistic', sigmaPerGeo: true, holdoutWeeks: 6 } },
  { label: 'geo hill learned slope, coefficient prior', geos: 3, model: { hillSlope: 'learned', priors: { media: { type: 'coefficient', scale: 2 } } } },
];

function randomPoint(dim: number, seed: number): Float64Array {
  const rng = createRng(seed, 7);
  return Float64Array.from({ length: dim }, () => 0.8 * rng.normal());
}

describe.each(cases)('MMM gradient: $label', ({ geos, model: modelOptions }) => {
  const { panel, config } = simulateDataset({ geos, weeks: 40, channels: 3, controls: 2, seed: 11, noiseSd: 0.5, model: modelOptions });
  const model = createMmmModel(panel, config);

  it('matches central finite differences at random points', () => {
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
  });

  it('matches tf.grad of an independent tfjs implementation', () => {
    const gradient = tf.grad((t) => tfjsLogDensity(tf, model.data, model.layout, t));
    for (let trial = 0; trial < 2; trial++) {
      const theta = randomPoint(model.dim, 200 + trial);
      const grad = new Float64Array(model.dim);
      const value = model.logDensityGradient(theta, grad);
      const reference = tf.tidy(() => gradient(tf.tensor1d(Float32Array.from(theta))).dataSync());
      const referenceValue = tf.tidy(() => tfjsLogDensity(tf, model.data, model.layout, tf.tensor1d(Float32Array.from(theta))).dataSync()[0]);
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
  });
});
