/**
 * Timing speed (issue 14, acceptance 4, timing part): the week-by-week spend of 5 channels over a 13-week
 * window with 1,000 posterior draws, in process (target <= 5 s). The posteriors are real fits of Meridian's
 * national data (5 channels, seasonal revenue per conversion), 2 chains x 500 draws: the example config
 * (Hill slope 1, concave curves) and the same with the Hill slope learned (S-shaped curves possible, so the
 * multi-start matters). The window is the data's last 13 weeks; each channel's budget its spend there.
 * Run: npm run bench:timing
 */
import type { MmmConfig } from '../../src/config/schema.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { formatCompact, formatPercent } from '../../src/explore/format.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { MmmResponseSource } from '../../src/run/mmm-response-source.ts';
import { planTiming, type TimingRequest } from '../../src/run/timing-plan.ts';
import { exampleConfig, referenceFile } from '../support/reference-data.ts';

const WEEKS = 13;
const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(2);
const { panel, config } = loadFitInputs(referenceFile('meridian/national_all_channels.csv'), exampleConfig('meridian-national.json'));
const T = panel.dates.length;
const window = { start: panel.dates[T - WEEKS], end: panel.dates[T - 1] };

function report(source: MmmResponseSource, label: string, request: TimingRequest): void {
  const began = performance.now();
  const plan = planTiming(source, request);
  const elapsed = seconds(began);
  console.log(
    `\n${label}: ${plan.channels.length} channels x ${source.weeks.length} weeks x ${plan.nDraws} draws in ${elapsed} s (target <= 5 s)`,
  );
  for (const channel of plan.channels) {
    const { extraOutcome, pGain } = channel.gain;
    console.log(
      `  ${channel.channel.padEnd(9)} budget ${formatCompact(channel.budget).padStart(6)}  outcome ${formatCompact(channel.outcome.mean).padStart(6)} (even ${formatCompact(channel.evenOutcome.mean)})  gain ${formatCompact(extraOutcome.mean)} [${formatCompact(extraOutcome.p05)}, ${formatCompact(extraOutcome.p95)}]  P(gain > 0) ${formatPercent(pGain)}  from ${channel.start}`,
    );
  }
  const { extraOutcome, pGain } = plan.gain;
  const even = plan.channels.reduce((s, c) => s + c.evenOutcome.mean, 0);
  console.log(
    `  all channels: gain over even flighting ${formatCompact(extraOutcome.mean)} [${formatCompact(extraOutcome.p05)}, ${formatCompact(extraOutcome.p95)}] (${formatPercent(extraOutcome.mean / even)} of even), P(gain > 0) ${formatPercent(pGain)}`,
  );
}

const fits: { name: string; model: MmmConfig['model'] }[] = [
  { name: 'Hill slope 1 (examples/meridian-national.json)', model: config.model },
  { name: 'Hill slope learned', model: { ...config.model, hillSlope: 'learned' } },
];
for (const { name, model } of fits) {
  let started = performance.now();
  const fit = await fitMmm(panel, { ...config, model, sampler: { ...config.sampler, chains: 2, warmup: 500, draws: 500, seed: 1 } });
  console.log(`\n== ${name}: fit of Meridian's national data (2 chains x 500 draws) in ${seconds(started)} s`);
  started = performance.now();
  const source = new MmmResponseSource(fit.model, panel, fit.posterior, { window, maxDraws: 1000 });
  console.log(
    `response source over ${window.start}..${window.end} (${source.weeks.length} weeks, ${source.nDraws} draws) in ${seconds(started)} s`,
  );
  const budgets = source.channels.map((channel, c) => ({ channel, budget: source.historicalSpend[c] }));
  report(source, 'timing, no constraints', { channels: budgets });
  report(source, 'timing, carry-over counted, weeks 1-2 dark, at most 25% of the budget in a week', {
    countCarryover: true,
    channels: budgets.map(({ channel, budget }) => ({ channel, budget, darkWeeks: source.weeks.slice(0, 2), maxPerWeek: budget / 4 })),
  });
}
