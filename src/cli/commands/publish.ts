/**
 * `mmm publish --run DIR --model ID`: a run directory of `mmm fit` into the warehouse, through the
 * retrain workflow's gates (src/run/publish-run.ts): the surface is built when missing, a failed
 * diagnostic verdict or calibration is recorded as a rejected run, anything else is published and
 * promoted, so `mmm dashboard` shows it.
 */
import { basename, join, resolve } from 'node:path';
import { EXIT, UsageError, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { loadResponseSource } from '../../run/mmm-response-source.ts';
import { formatAmount, toJsonText } from '../../explore/format.ts';
import { publishRunDirectory } from '../../run/publish-run.ts';
import { SUMMARY_FILE } from '../../run/run-directory.ts';
import { readManifest } from '../../io/run-manifest.ts';
import { warehouseEngine } from '../../warehouse/open-warehouse.ts';
import { warehouseOfFlag } from '../warehouse-flag.ts';

/** Exit status of a run recorded as rejected, as `mmm fit` exits when its diagnostics fail. */
const REJECTED_EXIT = EXIT.gateRefused;

const usage = `Usage: mmm publish --run DIR --model ID [--warehouse PATH] [--run-id ID] [--no-promote] [--json]

Writes a fitted run (DIR of 'mmm fit --out DIR') to the warehouse, gated and promoted as the retrain
workflow does: the surface is built when DIR/surface/ has none; a fit whose diagnostics failed, or
whose calibration factor is outside its band, is recorded in mmm_runs as 'rejected' and never
promoted (exit status ${REJECTED_EXIT}); otherwise every run table is written and the run becomes the model's
current run, which 'mmm dashboard' shows. Publishing the same run again replaces its rows.

The warehouse is the one configured by the environment (MMM_WAREHOUSE, MMM_DUCKDB_PATH, MMM_BIGQUERY_*;
default the DuckDB file .mmm/warehouse.duckdb), unless --warehouse names a DuckDB file; its tables
are created or updated first ('mmm migrate').

Options:
  --run DIR          run directory written by 'mmm fit --out DIR'
  --model ID         the model the run belongs to
  --warehouse PATH   a DuckDB warehouse file
  --run-id ID        run id in the warehouse (default MODEL-DIRNAME-HASH, HASH from DIR/summary.json,
                     so the same fit always gets the same id and a new fit a new one)
  --no-promote       publish without making the run current
  --json             print the result as JSON`;

export const publishCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, {
      run: { type: 'string' },
      model: { type: 'string' },
      warehouse: { type: 'string' },
      'run-id': { type: 'string' },
      'no-promote': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    if (!values.run || !values.model) throw new UsageError('--run DIR and --model ID are required');
    const runDir = resolve(values.run);
    // A committed run only (its manifest names and hashes every file); the run id and creation time come
    // from the commit, so re-publishing the same run changes nothing.
    const manifest = readManifest(runDir);
    const summaryHash = manifest.files.find((file) => file.path === SUMMARY_FILE)?.sha256 ?? '';
    const runId = values['run-id'] ?? `${values.model}-${basename(runDir)}-${summaryHash.slice(0, 8)}`;
    const createdAt = manifest.committedAt;

    const engine = warehouseEngine(warehouseOfFlag(values.warehouse));
    const where = `${engine.name} ${engine.location}`;
    const warehouse = await engine.open();
    try {
      await warehouse.migrate();
      const published = await publishRunDirectory(
        warehouse,
        runDir,
        { runId, modelId: values.model, createdAt, finishedAt: new Date().toISOString() },
        {
          promote: !values['no-promote'],
          loadSource: () => {
            process.stderr.write(`building the surface of ${runDir} (it has none yet)\n`);
            return loadResponseSource(runDir);
          },
        },
      );
      const current = await warehouse.currentRun(values.model);
      if (values.json) {
        process.stdout.write(toJsonText({ ...published, currentRun: current, warehouse: where }));
      } else if (published.status === 'rejected') {
        process.stdout.write(
          `run ${runId} of model '${values.model}' recorded in ${where} as rejected, not promoted: ${published.rejection}\n` +
            `the current run of '${values.model}' stays ${current ?? 'none'}\n`,
        );
      } else {
        process.stdout.write(
          `run ${runId} of model '${values.model}' (verdict ${published.verdict}): ${formatAmount(published.rows)} rows written to ${where}` +
            `${published.surfaceBuilt ? ' (surface built)' : ''}, ${published.promoted ? 'promoted to current' : 'not promoted'}\n`,
        );
      }
      return published.status === 'rejected' ? REJECTED_EXIT : EXIT.ok;
    } finally {
      await warehouse.close();
    }
  },
};
