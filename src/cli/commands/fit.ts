/** `mmm fit`: wide CSV + config -> NUTS posterior -> DIR/summary.json and the stored posterior. */
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand } from '../command.ts';
import { integerFlag, SAMPLER_FLAG_OPTIONS, samplerOverrides } from '../flags.ts';
import { SamplerProgressBar } from '../progress-bar.ts';
import { loadFitInputs } from '../../data/load-fit-inputs.ts';
import { fitMmm } from '../../fit/fit-mmm.ts';
import { DiagnosticsFailedError } from '../../inference/diagnostics/index.ts';
import { samplerSchema } from '../../config/schema.ts';
import { writeFitRun } from '../../run/run-directory.ts';
import { formatFitSummary } from '../format-fit-summary.ts';

const usage = `Usage: mmm fit --data FILE.csv --config CONFIG.json --out DIR [options]

Fits the Bayesian MMM with NUTS and writes DIR/summary.json, DIR/posterior.{json,bin} and DIR/analysis.json.
Nothing is written when the data or config are invalid. A fit whose diagnostics fail writes only
summary.json (verdict "fail" with reasons) and exits with status 3.

Options:
  --data FILE      wide CSV, one row per (geo,) week
  --config FILE    JSON config (see README and examples/)
  --out DIR        output directory (created)
  --seed N         sampler seed (default: config, else 1)
  --chains N       chains (default: config, else 4)
  --warmup N       warm-up iterations per chain (default: config, else 1000)
  --draws N        kept draws per chain (default: config, else 1000)
  --threads N      worker threads (default: one per core, at most one per chain)
  --json           print summary.json to stdout instead of the table`;

export const fitCommand: CliCommand = {
  name: 'fit',
  summary: 'fit the Bayesian MMM to a CSV and write summary.json plus the posterior',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        data: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' },
        ...SAMPLER_FLAG_OPTIONS, threads: { type: 'string' }, json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.data || !values.config || !values.out) throw new UsageError('--data, --config and --out are required');
    // Validate everything before touching the output directory: bad input writes nothing.
    const inputs = loadFitInputs(values.data, values.config);
    for (const note of inputs.notes) process.stderr.write(`${note}\n`);
    const sampler = samplerSchema.parse({ ...inputs.config.sampler, ...samplerOverrides(values) });
    const config = { ...inputs.config, sampler };
    const bar = new SamplerProgressBar(sampler.chains, sampler.warmup + sampler.draws);
    const fit = await fitMmm(inputs.panel, config, { onProgress: (p) => bar.update(p), threads: integerFlag('threads', values.threads, 1) });
    bar.finish();
    const summary = writeFitRun(values.out, inputs.panel, fit);
    process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatFitSummary(summary)}\nWrote ${values.out}/summary.json\n`);
    if (fit.diagnostics.verdict === 'fail') {
      process.stderr.write(`mmm fit: ${new DiagnosticsFailedError(fit.diagnostics).message}\n`);
      return 3;
    }
    return 0;
  },
};
