/**
 * `mmm dashboard`: the leadership dashboard of a model's current run, read from the warehouse's BI
 * views; served on a local address, or exported as one self-contained HTML file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type CliCommand, UsageError } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { readDashboardData } from '../../dashboard/dashboard-data.ts';
import { readGeoGroups } from '../../explore/geo-groups.ts';
import { renderDashboardPage } from '../../dashboard/page.ts';
import { startDashboardServer } from '../../dashboard/server.ts';
import type { WarehouseConfig } from '../../warehouse/open-warehouse.ts';
import { warehouseOfFlag } from '../warehouse-flag.ts';

const DEFAULT_PORT = 8050;

const usage = `Usage: mmm dashboard [--dir DIR | --warehouse PATH] [--model ID] [--geo-groups FILE] [--host HOST] [--port N] [--export FILE.html] [--json]

Shows the current run of a model: headline figures, ROI and mROI by channel with 90% intervals,
contributions over time, response curves, the efficient frontier with the current and recommended
plans, the recommended reallocation with P(beats current) and model health, and for a geo model its
markets (ROI and mROI per geo and channel, the recommended shifts between markets), read from the BI
views (v_bi_*) of the warehouse. Serves it at http://HOST:PORT/ (reloading reads the warehouse again) until
stopped with Ctrl-C, or with --export writes one HTML file that works offline.

The warehouse is the one configured by the environment (MMM_WAREHOUSE, MMM_DUCKDB_PATH, MMM_BIGQUERY_*;
default the DuckDB file .mmm/warehouse.duckdb), unless --dir or --warehouse names a DuckDB file.

Options:
  --dir DIR          the working directory of 'mmm demo --dir DIR': its DIR/warehouse.duckdb
  --warehouse PATH   a DuckDB warehouse file
  --model ID         the model to show (default: the only model with a current run)
  --geo-groups FILE  CSV geo,country,region (the dbt seed geo_groups' layout): the market view's geo
                     group selector offers each country and region; every geo of the run needs a row
  --host HOST        address to serve on (default 127.0.0.1)
  --port N           port to serve on (default ${DEFAULT_PORT}; 0 picks a free one)
  --export FILE      write the page to FILE instead of serving it
  --json             print what was served or written as JSON`;

function warehouseConfig(dir: string | undefined, warehouse: string | undefined): WarehouseConfig {
  if (dir !== undefined && warehouse !== undefined) throw new UsageError('give --dir or --warehouse, not both');
  if (dir !== undefined) return { engine: 'duckdb', path: join(resolve(dir), 'warehouse.duckdb'), schema: 'main' };
  return warehouseOfFlag(warehouse);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got '${value}'`);
  return port;
}

/** Resolves on Ctrl-C or SIGTERM. */
const untilStopped = (): Promise<void> =>
  new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });

export const dashboardCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, {
      dir: { type: 'string' },
      warehouse: { type: 'string' },
      model: { type: 'string' },
      'geo-groups': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      export: { type: 'string' },
      json: { type: 'boolean' },
    });
    const config = warehouseConfig(values.dir, values.warehouse);
    const port = parsePort(values.port);
    const print = (human: string, machine: Record<string, unknown>) =>
      process.stdout.write(values.json === true ? `${JSON.stringify(machine)}\n` : `${human}\n`);

    // Read once up front so that a missing warehouse, view or run is reported before anything starts.
    const geoGroups = values['geo-groups'] === undefined ? [] : readGeoGroups(values['geo-groups']);
    const first = await readDashboardData(config, values.model, geoGroups);
    const { model_id: modelId, run_id: runId } = first.run;

    if (values.export !== undefined) {
      const file = resolve(values.export);
      const page = renderDashboardPage(first);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, page);
      const bytes = Buffer.byteLength(page);
      print(`wrote ${file} (${Math.round(bytes / 1024)} KB): dashboard of model '${modelId}', run ${runId}`, {
        file,
        bytes,
        modelId,
        runId,
      });
      return 0;
    }

    const server = await startDashboardServer({ host: values.host, port, load: () => readDashboardData(config, modelId, geoGroups) });
    print(`dashboard of model '${modelId}' (run ${runId}) at ${server.url} (Ctrl-C stops it)`, { url: server.url, modelId, runId });
    await untilStopped();
    await server.close();
    return 0;
  },
};
