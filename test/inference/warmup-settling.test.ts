import { describe, expect, it } from 'vitest';
import { DiagonalMetric } from '../../src/inference/diagonal-metric.ts';
import { sampleChain } from '../../src/inference/sampler.ts';
import { CHECK_INTERVAL, SETTLE_FLOOR, SettlingCheck } from '../../src/inference/warmup-settling.ts';
import { gradientMetricSchedule } from '../../src/inference/warmup.ts';
import { standardNormal } from './targets.ts';

describe('SettlingCheck', () => {
  it('settles after two successive checks within 0.1 in RMS log scale and log step size', () => {
    const metric = new DiagonalMetric(4);
    const check = new SettlingCheck();
    expect(check.observe(metric, 0.5)).toBe(false); // nothing to compare with yet
    metric.diagonal.set([1.05, 0.95, 1, 1.02]);
    expect(check.observe(metric, 0.52)).toBe(false); // one pass
    expect(check.observe(metric, 0.53)).toBe(true); // two passes
  });

  it('starts counting again when the metric or the step size moves', () => {
    const metric = new DiagonalMetric(2);
    const check = new SettlingCheck();
    check.observe(metric, 0.5);
    check.observe(metric, 0.5);
    metric.diagonal.set([1.5, 1]); // RMS change of log diag: log(1.5) / sqrt 2 = 0.29
    expect(check.observe(metric, 0.5)).toBe(false);
    expect(check.observe(metric, 0.5)).toBe(false);
    expect(check.observe(metric, 0.6)).toBe(false); // step size moved by log 1.2 = 0.18
    expect(check.observe(metric, 0.6)).toBe(false);
    expect(check.observe(metric, 0.6)).toBe(true);
  });
});

describe('warm-up by need', () => {
  const target = standardNormal({ dim: 10 });
  const cap = 1000;
  const finalPhase = cap - gradientMetricSchedule(cap).metricEnd;

  it.each(['auto', 'gradient'] as const)(
    "ends the '%s' warm-up of an easy target well before the cap, never before the floor, and keeps every draw",
    (metricAdaptation) => {
      const result = sampleChain(target, 0, { chains: 1, warmup: cap, draws: 50, seed: 4, metricAdaptation });
      console.log(`standard normal (dim 10), '${metricAdaptation}': ${result.warmupIterations} warm-up iterations of ${cap}`);
      expect(result.warmupIterations).toBeLessThan(cap);
      expect(result.warmupIterations).toBeGreaterThanOrEqual(SETTLE_FLOOR + finalPhase);
      // The metric's last update falls on a check, and the final step-size phase follows it whole.
      expect((result.warmupIterations - finalPhase - 1 - gradientMetricSchedule(cap).earlyEnd) % CHECK_INTERVAL).toBe(0);
      expect(result.logDensity.length).toBe(50);
      expect(result.draws.length).toBe(50 * 10);
    },
  );

  it('runs to the cap when the cap leaves no room before the floor, and always for the windowed scheme', () => {
    expect(sampleChain(target, 0, { chains: 1, warmup: SETTLE_FLOOR, draws: 10, seed: 4 }).warmupIterations).toBe(SETTLE_FLOOR);
    const windowed = sampleChain(target, 0, { chains: 1, warmup: cap, draws: 10, seed: 4, metricAdaptation: 'windowed' });
    expect(windowed.warmupIterations).toBe(cap);
  });

  it('reports the end of warm-up at the cap, so progress still counts to warmup + draws', () => {
    const events: { iteration: number; phase: string }[] = [];
    const result = sampleChain(target, 0, { chains: 1, warmup: cap, draws: 20, seed: 4, onProgress: (p) => events.push(p) });
    expect(result.warmupIterations).toBeLessThan(cap);
    expect(events.filter((e) => e.phase === 'warmup').at(-1)?.iteration).toBe(cap);
    expect(events.at(-1)).toMatchObject({ iteration: cap + 20, phase: 'sampling' });
  });
});
