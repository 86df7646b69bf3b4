import { describe, expect, it } from 'vitest';
import { DiagonalMetric } from '../../src/inference/diagonal-metric.ts';
import { sampleChain } from '../../src/inference/sampler.ts';
import { CHECK_INTERVAL, SETTLE_FLOOR, SettlingCheck, WindowAgreement } from '../../src/inference/warmup-settling.ts';
import { metricAdaptationWindows } from '../../src/inference/adaptation.ts';
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

describe('WindowAgreement', () => {
  it('lets two windows agree within 2 sqrt(2 / nA + 2 / nB) in RMS log scale, not beyond', () => {
    const metric = new DiagonalMetric(2);
    const agreement = new WindowAgreement();
    expect(agreement.observe(metric, 0, 50)).toBe(false); // nothing to compare with yet
    // 50 and 100 draws: tolerance 2 sqrt(0.04 + 0.02) = 0.490; RMS change log(1.9) / sqrt 2 = 0.454.
    metric.diagonal.set([1.9, 1]);
    expect(agreement.observe(metric, 50, 100)).toBe(true);
    // 100 and 200 draws: tolerance 0.346; RMS change log(1.9) / sqrt 2 = 0.454 again.
    metric.diagonal.set([1, 1]);
    expect(agreement.observe(metric, 100, 200)).toBe(false);
  });
});

describe('warm-up by need', () => {
  const target = standardNormal({ dim: 10 });
  const cap = 1000;
  const finalPhase = cap - gradientMetricSchedule(cap).metricEnd;

  it.each(['gradient', 'low-rank'] as const)(
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

  it('runs to the cap when the cap leaves no room before the floor', () => {
    expect(sampleChain(target, 0, { chains: 1, warmup: SETTLE_FLOOR, draws: 10, seed: 4 }).warmupIterations).toBe(SETTLE_FLOOR);
  });

  it.each([
    ['windowed', 0],
    ['windowed-dense', 20 * 10],
    ['auto', 20 * 10],
  ] as const)(
    "ends Stan's '%s' warm-up of an easy target after a slow window past the floor and its terminal buffer (>= %d draws pooled)",
    (metricAdaptation, pooledDraws) => {
      const windows = metricAdaptationWindows(cap);
      const termBuffer = cap - windows[windows.length - 1].end - 1;
      const result = sampleChain(target, 0, { chains: 1, warmup: cap, draws: 10, seed: 4, metricAdaptation });
      console.log(`standard normal (dim 10), '${metricAdaptation}': ${result.warmupIterations} warm-up iterations of ${cap}`);
      expect(result.warmupIterations).toBeLessThan(cap);
      const settledAt = windows.findIndex((w) => w.end + 1 + termBuffer === result.warmupIterations);
      expect(settledAt).toBeGreaterThan(0);
      expect(windows[settledAt].end + 1).toBeGreaterThanOrEqual(SETTLE_FLOOR);
      const pooled = windows[settledAt].end - windows[settledAt - 1].start + 1;
      expect(pooled).toBeGreaterThanOrEqual(pooledDraws);
      expect(result.draws.length).toBe(10 * 10);
    },
  );

  it('reports the end of warm-up at the cap, so progress still counts to warmup + draws', () => {
    const events: { iteration: number; phase: string }[] = [];
    const result = sampleChain(target, 0, { chains: 1, warmup: cap, draws: 20, seed: 4, onProgress: (p) => events.push(p) });
    expect(result.warmupIterations).toBeLessThan(cap);
    expect(events.filter((e) => e.phase === 'warmup').at(-1)?.iteration).toBe(cap);
    expect(events.at(-1)).toMatchObject({ iteration: cap + 20, phase: 'sampling' });
  });
});
