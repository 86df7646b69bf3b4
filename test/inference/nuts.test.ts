import { describe, expect, it } from 'vitest';
import type { LogDensity } from '../../src/inference/log-density.ts';
import { NutsKernel, StepSizeSearchError } from '../../src/inference/nuts.ts';
import { createRng } from '../../src/math/rng.ts';
import { standardNormal } from './targets.ts';

/** 1-d N(0, sd^2). */
const normal1d = (sd: number): LogDensity => ({
  dim: 1,
  logDensityGradient(theta, grad) {
    grad[0] = -theta[0] / (sd * sd);
    return -0.5 * (theta[0] / sd) ** 2;
  },
});

describe('NutsKernel', () => {
  it('stops at the maximum tree depth after 2^depth - 1 leapfrog steps', () => {
    const kernel = new NutsKernel(standardNormal({ dim: 2 }), createRng(1, 0), Float64Array.of(0.5, -0.5), 3);
    kernel.stepSize = 1e-4;
    const stats = kernel.transition();
    expect(stats.treeDepth).toBe(3);
    expect(stats.nLeapfrog).toBe(7);
    expect(stats.divergent).toBe(false);
    // Energy is conserved to O(eps^2) along such a short trajectory.
    expect(stats.acceptStat).toBeGreaterThan(0.999999);
  });

  it('stops a trajectory at the U-turn, about half an orbit of a harmonic oscillator', () => {
    // With eps = 0.1 half an orbit of N(0, 1) takes ~31 steps, so most trees end at depth 4 or 5 (16-31
    // steps) and none reaches 6; trajectories starting near a turning point may stop earlier.
    const kernel = new NutsKernel(normal1d(1), createRng(2, 0), Float64Array.of(0.3), 10);
    kernel.stepSize = 0.1;
    const depths = Array.from({ length: 400 }, () => kernel.transition().treeDepth);
    expect(Math.max(...depths)).toBeLessThanOrEqual(5);
    expect(depths.filter((depth) => depth >= 4).length).toBeGreaterThan(depths.length / 2);
  });

  it('flags a divergence when the energy error exceeds 1000 and keeps the current state', () => {
    const kernel = new NutsKernel(normal1d(0.01), createRng(3, 0), Float64Array.of(0.005), 10);
    kernel.stepSize = 1;
    const stats = kernel.transition();
    expect(stats.divergent).toBe(true);
    expect(stats.treeDepth).toBe(0);
    expect(stats.nLeapfrog).toBe(1);
    expect(stats.acceptStat).toBeLessThan(1e-100);
    expect(kernel.position[0]).toBe(0.005);
    expect(kernel.logDensity).toBeCloseTo(-0.125, 12);
  });

  it('treats a NaN log density on the trajectory as a divergence with acceptance 0, not as NaN statistics', () => {
    // N(0, 1) inside |theta| < 1, NaN outside: one step of 5 leaves the region.
    const nanOutside: LogDensity = {
      dim: 1,
      logDensityGradient(theta, grad) {
        grad[0] = -theta[0];
        return Math.abs(theta[0]) < 1 ? -0.5 * theta[0] * theta[0] : Number.NaN;
      },
    };
    const kernel = new NutsKernel(nanOutside, createRng(7, 0), Float64Array.of(0.5), 10);
    kernel.stepSize = 5;
    const stats = kernel.transition();
    expect(stats.divergent).toBe(true);
    expect(stats.acceptStat).toBe(0);
    expect(kernel.position[0]).toBe(0.5);
  });

  it('reports the Hamiltonian of the selected state as its energy', () => {
    const kernel = new NutsKernel(standardNormal({ dim: 3 }), createRng(4, 0), Float64Array.of(0.1, 0.2, 0.3), 10);
    kernel.stepSize = 0.5;
    const stats = kernel.transition();
    // H = -log p + |p|^2 / 2 >= -log p for the unit metric.
    expect(stats.energy).toBeGreaterThanOrEqual(-kernel.logDensity);
    expect(Number.isFinite(stats.energy)).toBe(true);
  });
});

describe('NutsKernel.findReasonableStepSize', () => {
  it('scales the step to the width of the target and leaves the state unchanged', () => {
    for (const sd of [1e-3, 1, 50]) {
      const kernel = new NutsKernel(normal1d(sd), createRng(5, 0), Float64Array.of(0.5 * sd), 10);
      const stepSize = kernel.findReasonableStepSize(1);
      expect(stepSize).toBeGreaterThan(sd / 8);
      expect(stepSize).toBeLessThan(8 * sd);
      expect(kernel.position[0]).toBe(0.5 * sd);
    }
  });

  it('throws on an improper (flat) target instead of growing the step for ever', () => {
    const flat: LogDensity = {
      dim: 2,
      logDensityGradient: (_theta, grad) => {
        grad.fill(0);
        return 0;
      },
    };
    const kernel = new NutsKernel(flat, createRng(6, 0), Float64Array.of(0, 0), 10);
    expect(() => kernel.findReasonableStepSize(1)).toThrow(StepSizeSearchError);
    expect(() => kernel.findReasonableStepSize(1)).toThrow(/posterior is improper/);
  });
});
