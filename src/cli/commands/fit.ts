/** `mmm fit`: wide CSV + config -> NUTS posterior -> DIR/summary.json and the stored posterior, committed by DIR/manifest.json. */
import { readdirSync, statSync } from 'node:fs';
import { EXIT, UsageError, type CliCommand } from '../command.ts';
import { integerFlag, parseFlags, SAMPLER_FLAG_OPTIONS, samplerOverrides } from '../flags.ts';
import { SamplerProgressBar } from '../progress-bar.ts';
import { loadFitInputs } from '../../data/load-fit-inputs.ts';
import { fitMmm } from '../../fit/fit-mmm.ts';
import { DiagnosticsFailedError } from '../../inference/diagnostics/index.ts';
import { samplerSchema } from '../../config/sampler-config.ts';
import { runForecastBacktest } from '../../run/forecast-backtest.ts';
import { writeFitRun } from '../../run/run-directory.ts';
import { clearRun } from '../../io/run-manifest.ts';
import { formatFitSummary } from '../format-fit-summary.ts';

const usage = `Usage: mmm fit --data FILE.csv --config CONFIG.json --out DIR [options]

Fits the Bayesian MMM with NUTS and writes DIR/summary.json, DIR/posterior.{json,bin} and DIR/analysis.json,
then DIR/manifest.json (every file's SHA-256), which commits the run: later commands use a run only through
its manifest. National fits then run a forecast backtest (the model fitted again without the data's last
plan.weeks weeks, forecasting them; summary.json forecastBacktest), whose errors widen plans' predictive
bands. Nothing is written when the data or config are invalid. A fit whose diagnostics fail commits
only summary.json (verdict "fail" with reasons), holds no posterior, and exits with status 3.

Options:
  --data FILE      wide CSV, one row per (geo,) week
  --config FILE    JSON config (see README and examples/)
  --experiments FILE  lift tests as CSV, one row per test: experiment_id,channel,geo,start,end,
                   incremental_outcome,standard_error,spend[,counterfactual_spend][,outcome_type]
                   (empty geo: national); each adds a likelihood term (docs/model.md, "Experiments")
  --out DIR        output directory (created); refused when it is not empty, unless --force
  --force          replace what DIR holds: once the input is validated, DIR is emptied (its manifest
                   first), so a re-fit that fails or is interrupted leaves no run there, never the old one
  --seed N         sampler seed (default: config, else 1)
  --chains N       chains (default: config, else 4)
  --warmup N       at most N warm-up iterations per chain (default: config, else 1000)
  --draws N        kept draws per chain (default: config, else 1000)
  --threads N      worker threads (default: one per core, at most one per chain)
  --json           print summary.json to stdout instead of the table`;

/**
 * Whether --out names a directory that holds something (to be replaced, with --force). Refuses a file, and
 * a non-empty directory without --force, before any input is read.
 */
function outDirectoryInUse(out: string, force: boolean): boolean {
  let entries: string[];
  try {
    if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file, not a directory`);
    entries = readdirSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (entries.length === 0) return false;
  if (!force) {
    throw new UsageError(
      `--out ${out} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}: ${entries.slice(0, 4).join(', ')}${entries.length > 4 ? ', ...' : ''}); ` +
        'pass --force to replace the run it holds, or choose another directory',
    );
  }
  return true;
}

export const fitCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, {
      data: { type: 'string' },
      config: { type: 'string' },
      experiments: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      ...SAMPLER_FLAG_OPTIONS,
      threads: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const missing = (['data', 'config', 'out'] as const).filter((flag) => !values[flag]);
    if (missing.length > 0)
      throw new UsageError(`${missing.map((flag) => `--${flag}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
    const { data, config: configPath, out } = values as { data: string; config: string; out: string };
    const overrides = samplerOverrides(values);
    const threads = integerFlag('threads', values.threads, 1);
    const replacing = outDirectoryInUse(out, values.force);
    // Validate everything before touching the output directory: bad input writes nothing and loses nothing.
    const inputs = loadFitInputs(data, configPath, values.experiments);
    for (const note of inputs.notes) process.stderr.write(`${note}\n`);
    const sampler = samplerSchema.parse({ ...inputs.config.sampler, ...overrides });
    const config = { ...inputs.config, sampler };
    if (replacing) clearRun(out);
    const bar = new SamplerProgressBar(sampler.chains, sampler.warmup + sampler.draws);
    const fit = await fitMmm(inputs.panel, config, { onProgress: (p) => bar.update(p), threads });
    bar.finish();
    const backtestBar = new SamplerProgressBar(sampler.chains, sampler.warmup + sampler.draws, 'backtest fit');
    const backtest = await runForecastBacktest(inputs.panel, config, fit.diagnostics.verdict, {
      onProgress: (p) => backtestBar.update(p),
      threads,
    });
    backtestBar.finish();
    const summary = writeFitRun(out, inputs.panel, fit, backtest);
    process.stdout.write(
      values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatFitSummary(summary)}\nWrote ${out}/summary.json\n`,
    );
    if (fit.diagnostics.verdict === 'fail') {
      process.stderr.write(`mmm fit: ${new DiagnosticsFailedError(fit.diagnostics).message}\n`);
      return EXIT.gateRefused;
    }
    return EXIT.ok;
  },
};
