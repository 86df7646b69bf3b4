/**
 * `mmm generate-demo-data`: three years of a demo advertiser's raw platform exports (with the usual
 * re-exports, duplicates, currency mix and renamed campaigns) and the truth they were generated from.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { type CliCommand, UsageError } from '../command.ts';
import { checkFlags, parseFlags } from '../flags.ts';
import { DEMO_DEFAULTS, DemoDataOptionsError, generateDemoData } from '../../demo-data/generate.ts';

const usage = `Usage: mmm generate-demo-data [--out DIR] [--seed N] [--start YYYY-MM-DD] [--weeks N] [--json]

Writes daily raw exports of Google Ads, Microsoft Ads, Meta, TikTok and DV360, weekly TV buys, daily store
sales, holidays, promotions and consumer confidence to DIR/raw/<source>/*.csv (dbt's sources), and the
generating marketing-mix model with its true contributions to DIR/truth.json.

Options:
  --out DIR       output folder (default .mmm/demo)
  --seed N        random seed (default ${DEMO_DEFAULTS.seed})
  --start DATE    first day, a Monday (default ${DEMO_DEFAULTS.start})
  --weeks N       number of weeks (default ${DEMO_DEFAULTS.weeks})
  --json          print the summary as JSON`;

const flagsSchema = z.object({
  out: z.string().default('.mmm/demo'),
  seed: z.coerce.number().int().nonnegative().optional(),
  start: z.string().optional(),
  weeks: z.coerce.number().int().positive().optional(),
  json: z.boolean().default(false),
});

export const generateDemoDataCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, {
      out: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      weeks: { type: 'string' },
      json: { type: 'boolean' },
    });
    const { out, seed, start, weeks, json } = checkFlags(flagsSchema, values);
    let data: ReturnType<typeof generateDemoData>;
    try {
      data = generateDemoData({ outDir: resolve(out), seed, start, weeks });
    } catch (error) {
      // Its messages start with the option's name ("start must be a Monday ..."): the flag of the same name.
      if (error instanceof DemoDataOptionsError) throw new UsageError(`--${error.message}`);
      throw error;
    }
    const summary = {
      rawDir: data.rawDir,
      truthPath: data.truthPath,
      files: data.files.length,
      weeks: data.truth.weeks,
      channels: data.truth.channels.map((c) => ({
        channel: c.channel,
        totalSpend: c.totalSpend,
        trueContribution: c.totalContribution,
        trueRoi: c.roi,
      })),
      rawDataEvents: data.truth.rawDataEvents,
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    const lines = summary.channels.map(
      (c) => `  ${c.channel.padEnd(8)} spend ${c.totalSpend.toFixed(2).padStart(14)} USD   true ROI ${c.trueRoi.toFixed(2)}`,
    );
    process.stdout.write(
      [
        `Wrote ${summary.files} raw export files to ${summary.rawDir}`,
        `Truth: ${summary.truthPath} (${summary.weeks} weeks from ${data.truth.start})`,
        ...lines,
        `Raw data quirks: ${summary.rawDataEvents.reExportedDays} re-exported source-days, ${summary.rawDataEvents.restatedRows} restated rows, ` +
          `${summary.rawDataEvents.duplicatedFiles.length} duplicated file, CAD-only days ${summary.rawDataEvents.cadOnlyDays.join(', ')}, ` +
          `${summary.rawDataEvents.renamedCampaigns.length} renamed campaigns`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};
