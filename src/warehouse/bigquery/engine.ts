/** The BigQuery engine as the product sees it (engine.ts): a dataset, dbt's 'bigquery' target, raw exports as a dataset of loaded tables. */
import type { WarehouseEngine } from '../engine.ts';
import { BigQueryWarehouse } from './bigquery-warehouse.ts';
import type { BigQueryWarehouseConfig } from './config.ts';

export function bigqueryEngine(config: BigQueryWarehouseConfig): WarehouseEngine {
  return {
    name: 'bigquery',
    location: `${config.projectId}.${config.dataset}`,
    open: () => BigQueryWarehouse.open(config),
    dbtProfile: (rawDataset) => ({
      // Without credentials (auth 'none') the warehouse is an emulator: the profile's bigquery_emulator target.
      MMM_DBT_TARGET: config.auth === 'none' ? 'bigquery_emulator' : 'bigquery',
      MMM_BIGQUERY_PROJECT: config.projectId,
      MMM_BIGQUERY_DATASET: config.dataset,
      MMM_BIGQUERY_LOCATION: config.location,
      ...(config.apiEndpoint === undefined ? {} : { MMM_BIGQUERY_API_ENDPOINT: config.apiEndpoint }),
      ...(rawDataset === undefined ? {} : { MMM_BIGQUERY_RAW_DATASET: rawDataset }),
    }),
    whileDbtRuns: (run) => run(),
    rawExports: ({ rawDir, rawDataset }) =>
      rawDataset === undefined
        ? { problem: 'MMM_RAW_DATASET is not set: dbt on BigQuery reads the raw exports from that dataset' }
        : { rawDir: rawDir ?? '', rawDataset },
    // A dataset that does not exist is named by the first query; reading never creates one.
    absence: () => null,
  };
}
