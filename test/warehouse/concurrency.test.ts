/**
 * Concurrent publishes in one process: 20 runs of 20 models, each published through its own open of
 * the warehouse (as concurrent activities of one worker do), all at once. Counted afterwards from a
 * fresh process, every run is there with every row, and every model's current run is its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openWarehouse, type WarehouseConfig } from '../../src/warehouse/open-warehouse.ts';
import { RUN_TABLE_NAMES, type RunTable } from '../../src/warehouse/tables.ts';
import { EMULATOR_START_BOUND_MS, emulatorWarehouse, startBqEmulator, type RunningEmulator } from './support/bqemulator.ts';
import { censusFromFreshProcess } from './support/count-runs.ts';
import { makeRunResults } from './support/run-results.ts';

const PUBLISHES = 20;
const models = Array.from({ length: PUBLISHES }, (_, i) => `model${String(i).padStart(2, '0')}`);
const runIdOf = (model: string) => `${model}-run`;

const expectedRows = (runId: string, model: string): Record<RunTable, number> => {
  const results = makeRunResults(runId, model);
  return Object.fromEntries(RUN_TABLE_NAMES.map((t) => [t, results[t].length])) as Record<RunTable, number>;
};

async function publishAllAtOnce(config: WarehouseConfig): Promise<void> {
  const setup = await openWarehouse(config);
  await setup.migrate();
  await setup.close();
  await Promise.all(
    models.map(async (model, i) => {
      const warehouse = await openWarehouse(config);
      try {
        await warehouse.publish(makeRunResults(runIdOf(model), model, { scale: 1 + i }), { promote: true });
      } finally {
        await warehouse.close();
      }
    }),
  );
}

async function expectNoneLost(config: WarehouseConfig): Promise<void> {
  const census = await censusFromFreshProcess(config);
  expect(census.runs.map((r) => r.run_id)).toEqual(models.map(runIdOf));
  expect(census.current).toEqual(models.map((model) => ({ model_id: model, run_id: runIdOf(model) })));
  for (const model of models) expect(census.rows[runIdOf(model)], model).toEqual(expectedRows(runIdOf(model), model));
}

describe(`${PUBLISHES} concurrent publishes of different runs in one process`, { timeout: 180_000 }, () => {
  test('on one DuckDB file: none lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-concurrent-publish-'));
    try {
      const config: WarehouseConfig = { engine: 'duckdb', path: join(dir, 'warehouse.duckdb'), schema: 'main' };
      await publishAllAtOnce(config);
      await expectNoneLost(config);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // About 25 s on a quiet machine; the emulator slows to minutes when the 2 cores are saturated.
  describe('on BigQuery (bqemulator)', { timeout: 900_000 }, () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      emulator = await startBqEmulator();
    }, EMULATOR_START_BOUND_MS + 60_000);
    afterAll(async () => {
      await emulator?.stop();
    });

    test('none lost', async () => {
      const config = emulatorWarehouse(emulator, 'mmm_concurrent');
      await publishAllAtOnce(config);
      await expectNoneLost(config);
    });
  });
});
