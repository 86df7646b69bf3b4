/** `mmm migrate`: applies the pending schema migrations of sql/<engine>/ and sql/shared/ to the configured warehouse. */
import type { CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { warehouseConfigFromEnv, warehouseEngine } from '../../warehouse/open-warehouse.ts';

const usage = `Usage: mmm migrate [--duckdb PATH] [--json]

Creates or updates the output tables and BI views (sql/duckdb/ or sql/bigquery/, then sql/shared/)
in the warehouse configured by the environment:
  MMM_WAREHOUSE          duckdb (default) or bigquery
  MMM_DUCKDB_PATH        DuckDB file (default .mmm/warehouse.duckdb)
  MMM_BIGQUERY_PROJECT, MMM_BIGQUERY_DATASET (default mmm), MMM_BIGQUERY_LOCATION (default US);
  BigQuery credentials come from standard Google auth (Application Default Credentials).

Options:
  --duckdb PATH   use this DuckDB file (implies MMM_WAREHOUSE=duckdb)
  --json          print the report as JSON`;

export const migrateCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, { duckdb: { type: 'string' }, json: { type: 'boolean' } });
    const env = values.duckdb === undefined ? process.env : { ...process.env, MMM_WAREHOUSE: 'duckdb', MMM_DUCKDB_PATH: values.duckdb };
    const config = warehouseConfigFromEnv(env);
    const engine = warehouseEngine(config);
    const warehouse = await engine.open();
    try {
      const report = await warehouse.migrate();
      if (values.json === true) {
        process.stdout.write(`${JSON.stringify({ engine: engine.name, warehouse: engine.location, ...report }, null, 2)}\n`);
      } else {
        process.stdout.write(
          `${engine.name} warehouse ${engine.location}: applied ${report.applied.length} migration(s)` +
            `${report.applied.length > 0 ? ` (${report.applied.join(', ')})` : ''}; ${report.upToDate.length} already applied\n`,
        );
      }
      return 0;
    } finally {
      await warehouse.close();
    }
  },
};
