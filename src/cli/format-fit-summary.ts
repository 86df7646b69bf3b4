/** The human-readable view of summary.json printed by `mmm fit` and `mmm demo`. */
import { describeBacktest } from '../analysis/forecast-backtest.ts';
import { formatPValue } from '../analysis/format-p-value.ts';
import { formatAmount, formatKeyValues, formatPercent, formatTable } from '../explore/format.ts';
import type { FitSummary } from '../run/fit-summary.ts';

const range = (i: { mean: number; p05: number; p95: number }, f: (v: number) => string): string =>
  `${f(i.mean)} [${f(i.p05)}, ${f(i.p95)}]`;

export function formatFitSummary(summary: FitSummary): string {
  const ratio = (v: number) => v.toFixed(2);
  const rows = [...summary.channels]
    .sort((a, b) => b.roi.mean - a.roi.mean)
    .map((c) => [
      c.name,
      formatAmount(c.spend),
      range(c.contribution, formatAmount),
      range(c.contributionShare, formatPercent),
      range(c.roi, ratio),
      range(c.mroi, ratio),
      c.evidence ? `${c.evidence.contraction.toFixed(2)}${c.evidence.informed ? '' : ` ${c.evidence.label}`}` : 'n/a',
    ]);
  const units = summary.outcome.units === 'revenue' ? 'revenue' : 'KPI units';
  const d = summary.diagnostics;
  const stat = (v: number | null, digits: number) => (v === null ? 'n/a' : v.toFixed(digits));
  const m = d.misspecification;
  const synergies = (summary.interactions ?? []).map((s) => [
    `${s.pair[0]} x ${s.pair[1]}`,
    range(s.theta, (v) => v.toFixed(3)),
    range(s.contribution, formatAmount),
    formatPercent(s.pPositive),
  ]);
  return [
    `Channels by ROI (posterior mean [90% interval]; outcome in ${units}, ${summary.outcome.start} to ${summary.outcome.end}; ` +
      'evidence: contraction of the ROI from its prior, 1 - posterior sd / prior sd of log ROI):',
    formatTable(['channel', 'spend', 'incremental outcome', 'share', 'ROI', 'mROI', 'evidence'], rows),
    ...(synergies.length
      ? [
          '',
          'Synergies (each channel above holds half of its terms; theta in KPI standard deviations at full saturation of both):',
          formatTable(['pair', 'theta', 'incremental outcome', 'P(theta > 0)'], synergies),
        ]
      : []),
    ...(summary.experiments?.length
      ? [
          '',
          "Experiments (estimate ± standard error; the model's implied incremental outcome, mean [90% interval]):",
          formatTable(
            ['experiment', 'channel', 'estimate', 'model'],
            summary.experiments.map((e) => [
              e.id,
              e.channel,
              `${formatAmount(e.estimate)} ± ${formatAmount(e.standardError)}`,
              range(e.implied, formatAmount),
            ]),
          ),
        ]
      : []),
    '',
    formatKeyValues([
      ['verdict', d.verdict],
      ['max R-hat', stat(d.maxRhat, 3)],
      ['min ESS bulk / tail', `${stat(d.minEssBulk, 0)} / ${stat(d.minEssTail, 0)}`],
      ['divergences', String(d.divergences)],
      ...(m
        ? [
            ...(m.slowDrift
              ? [
                  [
                    'slow drift',
                    `components slower than a year explain ${formatPercent(m.slowDrift.share)} beyond the model's time terms (p ${formatPValue(m.slowDrift.pValue)})`,
                  ] as const,
                ]
              : []),
            ...(m.residualOutliers
              ? [
                  [
                    'outlier weeks',
                    `residual skewness ${m.residualOutliers.skewness.toFixed(2)}, excess kurtosis ${m.residualOutliers.excessKurtosis.toFixed(1)} (p ${formatPValue(m.residualOutliers.pValue)})`,
                  ] as const,
                ]
              : []),
            [
              'residuals',
              `Ljung-Box Q ${m.ljungBox.q.toFixed(1)} over ${m.ljungBox.lags} lags (p ${formatPValue(m.ljungBox.pValue)}), lag-1 correlation ${m.ljungBox.lag1.toFixed(2)}`,
            ] as const,
            [
              'predictive coverage',
              `${formatPercent(m.predictiveCoverage90)} of observed weeks inside their 90% predictive intervals`,
            ] as const,
          ]
        : []),
      [
        'fit (train)',
        `R² ${summary.fit.r2.toFixed(3)}, MAPE ${formatPercent(summary.fit.mape)}, wMAPE ${formatPercent(summary.fit.wmape)}`,
      ],
      ...(summary.fit.holdout
        ? [
            [
              'fit (holdout)',
              `R² ${summary.fit.holdout.r2.toFixed(3)}, MAPE ${formatPercent(summary.fit.holdout.mape)}, wMAPE ${formatPercent(summary.fit.holdout.wmape)}`,
            ] as const,
          ]
        : []),
      ...(summary.forecastBacktest ? [['forecast backtest', describeBacktest(summary.forecastBacktest)] as const] : []),
      [
        'time',
        `${summary.timing.wallSeconds.toFixed(1)} s wall (warm-up ${summary.timing.warmupSeconds.toFixed(1)} s, sampling ${summary.timing.samplingSeconds.toFixed(1)} s per chain${summary.timing.postSamplingSeconds === undefined ? '' : `; ${summary.timing.postSamplingSeconds.toFixed(1)} s after sampling`})`,
      ],
    ]),
    ...(d.reasons.length ? ['', `Why the verdict is ${d.verdict}:`, ...d.reasons.map((r) => `- ${r}`)] : []),
  ].join('\n');
}
