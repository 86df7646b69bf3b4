/** The printed view of summary.json: the misspecification checks and the verdict's reasons as a list. */
import { describe, expect, it } from 'vitest';
import { formatFitSummary } from '../../src/cli/format-fit-summary.ts';
import type { FitSummary } from '../../src/run/fit-summary.ts';

const interval = { mean: 1, p05: 0.5, p95: 1.5 };
const summary = (diagnostics: Partial<FitSummary['diagnostics']>): FitSummary => ({
  channels: [{ name: 'tv', spend: 1000, contribution: interval, contributionShare: interval, roi: interval, mroi: interval }],
  diagnostics: {
    maxRhat: 1.004,
    minEssBulk: 900,
    minEssTail: 800,
    divergences: 0,
    verdict: 'pass',
    reasons: [],
    divergenceRate: 0,
    treeDepthHits: 0,
    minEbfmi: 0.9,
    ...diagnostics,
  },
  fit: { r2: 0.9, mape: 0.05, wmape: 0.04 },
  timing: { wallSeconds: 10, warmupSeconds: 4, samplingSeconds: 5 },
  outcome: { units: 'revenue', observedTotal: 1e6, periods: 104, start: '2022-01-03', end: '2023-12-25' },
  sampler: { chains: 4, warmup: 1000, draws: 1000, seed: 1 },
});

describe('formatFitSummary', () => {
  it('prints the misspecification checks and lists every reason with its advice', () => {
    const reasons = [
      'residuals are autocorrelated (Ljung-Box Q 212.0 over 10 lags, p < 1e-12; lag-1 correlation 0.71): add knots',
      'R-hat 1.02 for sigma exceeds 1.01',
    ];
    const text = formatFitSummary(
      summary({
        verdict: 'fail',
        reasons,
        misspecification: {
          ljungBox: { q: 212, lags: 10, dof: 10, pValue: 1e-30, lag1: 0.71 },
          slowDrift: { cutoffWeeks: 52, dof: 3, share: 0.42, pValue: 1e-30 },
          residualOutliers: { skewness: 0.12, excessKurtosis: 0.3, skewnessP: 0.5, heavyTailsP: 0.4, pValue: 0.8 },
          predictiveCoverage90: 0.74,
          verdict: 'fail',
          reasons: [reasons[0]],
        },
      }),
    );
    expect(text).toMatch(/slow drift\s+components slower than a year explain 42(\.0)?% beyond the model's time terms \(p < 1e-12\)/);
    expect(text).toMatch(/outlier weeks\s+residual skewness 0.12, excess kurtosis 0.3 \(p 0.800\)/);
    expect(text).toMatch(/residuals\s+Ljung-Box Q 212.0 over 10 lags \(p < 1e-12\), lag-1 correlation 0.71/);
    expect(text).toMatch(/predictive coverage\s+74(\.0)?% of observed weeks inside their 90% predictive intervals/);
    expect(text).toMatch(/verdict\s+fail\n/);
    expect(text.endsWith(`Why the verdict is fail:\n- ${reasons[0]}\n- ${reasons[1]}`)).toBe(true);
  });

  it("shows each channel's evidence, labelling a channel the data did not inform, and the experiments beside the model", () => {
    const base = summary({});
    const text = formatFitSummary({
      ...base,
      channels: [
        { ...base.channels[0], evidence: { contraction: 0.64, shift: 0.3, informed: true, label: 'informed by the data' } },
        {
          ...base.channels[0],
          name: 'radio',
          evidence: { contraction: 0.03, shift: 0.01, informed: false, label: 'not informed by the data' },
        },
      ],
      experiments: [{ id: 'tv-holdout', channel: 'tv', estimate: 1200, standardError: 300, implied: { mean: 1100, p05: 700, p95: 1500 } }],
    });
    expect(text).toMatch(/^tv\s.*\s0\.64$/m);
    expect(text).toMatch(/^radio\s.*\s0\.03 not informed by the data$/m);
    expect(text).toMatch(/^tv-holdout\s+tv\s+1,200 ± 300\s+1,100 \[700, 1,500\]$/m);
  });

  it('leaves the checks out for a summary written before they existed, and the list out when nothing is wrong', () => {
    const text = formatFitSummary(summary({}));
    expect(text).not.toContain('Ljung-Box');
    expect(text).not.toContain('Why the verdict');
    expect(text).not.toContain('Synergies');
  });

  it('prints the seconds after sampling when the summary has them (runs fitted before it was recorded do not)', () => {
    expect(formatFitSummary(summary({}))).toMatch(/time\s+10\.0 s wall \(warm-up 4\.0 s, sampling 5\.0 s per chain\)$/m);
    const text = formatFitSummary({
      ...summary({}),
      timing: { wallSeconds: 10, warmupSeconds: 4, samplingSeconds: 5, postSamplingSeconds: 1.25 },
    });
    expect(text).toMatch(/time\s+10\.0 s wall \(warm-up 4\.0 s, sampling 5\.0 s per chain; 1\.3 s after sampling\)$/m);
  });

  it('prints one row per synergy pair with theta, the term outcome and P(theta > 0)', () => {
    const text = formatFitSummary({
      ...summary({}),
      interactions: [{ pair: ['tv', 'search'], theta: { mean: 0.12, p05: 0.02, p95: 0.3 }, contribution: interval, pPositive: 0.97 }],
    });
    expect(text).toContain('Synergies (each channel above holds half of its terms');
    expect(text).toMatch(/tv x search\s+0\.120 \[0\.020, 0\.300\]\s+.+\s+97(\.0)?%/);
  });
});
