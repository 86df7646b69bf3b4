import { describe, expect, test } from 'vitest';
import { WarehouseConfigError, warehouseConfigFromEnv } from '../../src/warehouse/open-warehouse.ts';

describe('warehouseConfigFromEnv', () => {
  test('defaults to an embedded DuckDB file under .mmm', () => {
    expect(warehouseConfigFromEnv({})).toEqual({ engine: 'duckdb', path: '.mmm/warehouse.duckdb', schema: 'main' });
  });

  test('reads BigQuery project, dataset, location and endpoint; auth defaults to ADC', () => {
    expect(
      warehouseConfigFromEnv({
        MMM_WAREHOUSE: 'bigquery',
        MMM_BIGQUERY_PROJECT: 'acme-prod',
        MMM_BIGQUERY_DATASET: 'marketing_mmm',
        MMM_BIGQUERY_LOCATION: 'EU',
      }),
    ).toEqual({ engine: 'bigquery', projectId: 'acme-prod', dataset: 'marketing_mmm', location: 'EU', auth: 'application-default' });
  });

  test('names the variable that is wrong', () => {
    expect(() => warehouseConfigFromEnv({ MMM_WAREHOUSE: 'bigquery' })).toThrow(WarehouseConfigError);
    expect(() => warehouseConfigFromEnv({ MMM_WAREHOUSE: 'bigquery' })).toThrow(/MMM_BIGQUERY_PROJECT/);
    expect(() =>
      warehouseConfigFromEnv({ MMM_WAREHOUSE: 'bigquery', MMM_BIGQUERY_PROJECT: 'p', MMM_BIGQUERY_DATASET: 'bad-name' }),
    ).toThrow(/MMM_BIGQUERY_DATASET: letters, digits and underscores/);
    expect(() => warehouseConfigFromEnv({ MMM_WAREHOUSE: 'snowflake' })).toThrow(/MMM_WAREHOUSE/);
  });
});
