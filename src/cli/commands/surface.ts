/**
 * `mmm surface --run DIR`: builds the decision layer of a fitted run — per-draw response components,
 * calibration, the enumerated scenario surface — into DIR/surface/. The model's response source is
 * injected (createSurfaceCommand) so the command does not depend on how posterior draws are stored.
 */
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { UsageError, type CliCommand } from '../command.ts';
import { formatAmount, formatKeyValues, toJsonText } from '../../explore/format.ts';
import type { ReportingWindow } from '../../surface/components.ts';
import type { ResponseSourceLoader } from '../../surface/response-source.ts';
import { buildSurfaceRun, type SurfaceProgress } from '../../surface/surface-run.ts';

const usage = `Usage: mmm surface --run DIR [--run-id ID] [--window START:END] [--band LOWER:UPPER] [--max-draws N] [--json FILE]

Builds DIR/surface/: response components per posterior draw on a grid of spend factors (0..3 x history),
the calibration factor k (observed / modelled total over the reporting window), and the enumerated
scenario surface (scenarios.jsonl, allocations.jsonl: budget levels 0..200% x allocation mixes).

Options:
  --run DIR          run directory written by 'mmm fit --out DIR'
  --run-id ID        run id written into the surface rows (default: the directory name)
  --window S:E       reporting window for scenarios and calibration, ISO dates (default: the model's)
  --band L:U         accepted range of k (default 0.8:1.25); outside it the run is refused
  --max-draws N      at most N posterior draws, evenly thinned (default: the loader's, 1000 for fitted runs)
  --json FILE        also write the summary as JSON to FILE ('-' for stdout only)`;

function parseWindow(text: string): ReportingWindow {
  const match = /^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/.exec(text);
  if (!match || match[1] > match[2]) throw new UsageError(`--window '${text}' is not START:END with ISO dates, START <= END`);
  return { start: match[1], end: match[2] };
}

function parseBand(text: string): { lower: number; upper: number } {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  if (!match) throw new UsageError(`--band '${text}' is not LOWER:UPPER, e.g. 0.8:1.25`);
  return { lower: Number(match[1]), upper: Number(match[2]) };
}

function parseMaxDraws(text: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--max-draws '${text}' is not a positive integer`);
  return n;
}

/** A progress bar on stderr when it is a terminal. */
function progressBar(): SurfaceProgress {
  return (stage, done, total) => {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r${stage.padEnd(10)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round((done / total) * 100)}%${done === total ? '\n' : ''}`);
  };
}

export function createSurfaceCommand(loadSource: ResponseSourceLoader): CliCommand {
  return {
    name: 'surface',
    summary: 'Build the calibrated scenario surface of a fitted run',
    usage,
    async run(args) {
      let values;
      try {
        ({ values } = parseArgs({ args, options: {
          run: { type: 'string' }, 'run-id': { type: 'string' }, window: { type: 'string' }, band: { type: 'string' },
          'max-draws': { type: 'string' }, json: { type: 'string' },
        } }));
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      if (!values.run) throw new UsageError('--run DIR is required');
      const runDir = resolve(values.run);
      const source = await loadSource(runDir, {
        ...(values.window ? { window: parseWindow(values.window) } : {}),
        ...(values['max-draws'] ? { maxDraws: parseMaxDraws(values['max-draws']) } : {}),
      });
      const summary = await buildSurfaceRun(source, runDir, {
        runId: values['run-id'] ?? basename(runDir),
        ...(values.band ? { band: parseBand(values.band) } : {}),
      }, progressBar());
      if (values.json) {
        if (values.json === '-') {
          process.stdout.write(toJsonText(summary));
          return 0;
        }
        await writeFile(values.json, toJsonText(summary));
      }
      const { calibration } = summary;
      process.stdout.write(`${formatKeyValues([
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
      ])}\n`);
      return 0;
    },
  };
}
