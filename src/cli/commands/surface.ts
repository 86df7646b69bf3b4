/**
 * `mmm surface --run DIR`: builds the decision layer of a fitted run — per-draw response components,
 * calibration, the enumerated scenario surface — into DIR/surface/. The model's response source is
 * injected (createSurfaceCommand) so the command does not depend on how posterior draws are stored.
 */
import { basename, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError, type CliCommand } from '../command.ts';
import { checkFlags, integerFlag, parseFlags } from '../flags.ts';
import { calibrationBandSchema } from '../../surface/calibration.ts';
import { formatAmount, formatKeyValues, toJsonText } from '../../explore/format.ts';
import type { ReportingWindow } from '../../surface/components.ts';
import type { ResponseSourceLoader } from '../../surface/response-source.ts';
import { buildSurfaceRun, type SurfaceProgress } from '../../surface/surface-run.ts';

const usage = `Usage: mmm surface --run DIR [--run-id ID] [--window START:END] [--band LOWER:UPPER] [--max-draws N] [--json FILE]

Builds DIR/surface/: response components per posterior draw on a grid of spend factors (0..3 x history),
the calibration factor k (observed / modelled total over the reporting window), and the enumerated
scenario surface (scenarios.jsonl, allocations.jsonl: budget levels x allocation mixes, as the run's config's
'surface' section designs them; default levels 0..200% in steps of 5%), then
DIR/surface/surface.json, which commits the surface with every file's SHA-256 and the hashes of the
posterior it was built from. explore, optimize and publish refuse a surface whose run was re-fitted since.

Options:
  --run DIR          run directory written by 'mmm fit --out DIR'
  --run-id ID        run id written into the surface rows (default: the directory name)
  --window S:E       reporting window for scenarios and calibration, ISO dates (default: the model's)
  --band L:U         accepted range of k (default 0.8:1.25); outside it the run is refused
  --max-draws N      at most N posterior draws, evenly thinned (default: the loader's, 1000 for fitted runs)
  --json FILE        also write the summary as JSON to FILE ('-' for stdout only)`;

function parseWindow(text: string): ReportingWindow {
  const match = /^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/.exec(text);
  const isDate = (date: string) => z.iso.date().safeParse(date).success;
  if (!match || !isDate(match[1]) || !isDate(match[2]) || match[1] > match[2]) {
    throw new UsageError(`--window '${text}' is not START:END with ISO dates (calendar days), START <= END`);
  }
  return { start: match[1], end: match[2] };
}

function parseBand(text: string): { lower: number; upper: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) throw new UsageError(`--band '${text}' is not LOWER:UPPER, e.g. 0.8:1.25`);
  return checkFlags(z.object({ band: calibrationBandSchema }), { band: { lower: Number(match[1]), upper: Number(match[2]) } }).band;
}

/** A progress bar on stderr when it is a terminal. */
function progressBar(): SurfaceProgress {
  return (stage, done, total) => {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r${stage.padEnd(10)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round((done / total) * 100)}%${done === total ? '\n' : ''}`,
    );
  };
}

export function createSurfaceCommand(loadSource: ResponseSourceLoader): CliCommand {
  return {
    usage,
    async run(args) {
      const values = parseFlags(args, {
        run: { type: 'string' },
        'run-id': { type: 'string' },
        window: { type: 'string' },
        band: { type: 'string' },
        'max-draws': { type: 'string' },
        json: { type: 'string' },
      });
      if (!values.run) throw new UsageError('--run DIR is required');
      if (values['run-id'] === '') throw new UsageError('--run-id must not be empty');
      const runDir = resolve(values.run);
      const window = values.window === undefined ? undefined : parseWindow(values.window);
      const band = values.band === undefined ? undefined : parseBand(values.band);
      const maxDraws = integerFlag('max-draws', values['max-draws'], 1);
      const source = await loadSource(runDir, { ...(window ? { window } : {}), ...(maxDraws ? { maxDraws } : {}) });
      const summary = await buildSurfaceRun(
        source,
        runDir,
        { runId: values['run-id'] ?? basename(runDir), ...(band ? { band } : {}) },
        progressBar(),
      );
      if (values.json) {
        if (values.json === '-') {
          process.stdout.write(toJsonText(summary));
          return 0;
        }
        await writeFile(values.json, toJsonText(summary));
      }
      const { calibration } = summary;
      process.stdout.write(
        `${formatKeyValues([
          ['run', summary.runId],
          ['written to', summary.dir],
          ['channels', summary.channels.join(', ')],
          ['posterior draws', String(summary.nDraws)],
          ['factor grid nodes', String(summary.gridNodes)],
          ['window', `${calibration.window.start}..${calibration.window.end}`],
          ['observed total', formatAmount(calibration.observedTotal)],
          ['modelled total', formatAmount(calibration.baselineScenarioMean)],
          ['calibration k', `${calibration.factor.toFixed(4)} (band ${calibration.band.lower}..${calibration.band.upper})`],
          ['scenarios', formatAmount(summary.scenarios)],
          ['seconds', `${summary.componentsSeconds.toFixed(1)} components, ${summary.surfaceSeconds.toFixed(1)} surface`],
        ])}\n`,
      );
      return 0;
    },
  };
}
