/**
 * One DuckDB instance per file per process (src/warehouse/duckdb/duckdb-file.ts): opens share it and
 * the last close releases the file; a file locked by another process is waited for, then refused
 * naming the file and the holder; dbt (another process) gets the file while no open holds it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { leaseDuckDbFile, lockHolder, WarehouseLockedError, withDuckDbFileReleased } from '../../src/warehouse/duckdb/duckdb-file.ts';
import { DuckDbWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.ts';
import { censusFromFreshProcess } from './support/count-runs.ts';
import { holdDuckDbFile } from './support/hold-duckdb-file.ts';
import { makeRunResults } from './support/run-results.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmm-duckdb-file-'));
  path = join(dir, 'warehouse.duckdb');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (lockTimeoutSeconds?: number) => DuckDbWarehouse.open({ engine: 'duckdb', path, schema: 'main', lockTimeoutSeconds });

describe('opens of one file in one process', () => {
  test('share one instance: a write through one open is read through the other, and both survive the last close', async () => {
    const first = await open();
    const second = await open();
    await first.migrate();
    await second.publish(makeRunResults('r2', 'b'), { promote: true });
    await first.publish(makeRunResults('r1', 'a'), { promote: true });
    expect(await first.currentRun('b')).toBe('r2');
    await first.close();
    expect(await second.currentRun('a')).toBe('r1');
    await second.close();
    const census = await censusFromFreshProcess({ engine: 'duckdb', path, schema: 'main' });
    expect(census.current).toEqual([
      { model_id: 'a', run_id: 'r1' },
      { model_id: 'b', run_id: 'r2' },
    ]);
  });

  test('release the file lock when the last one closes, so another process can open it', async () => {
    const warehouse = await open();
    await warehouse.migrate();
    await warehouse.close();
    const holder = await holdDuckDbFile(path);
    await holder.stop();
  });
});

describe('a file locked by another process', () => {
  test('is waited for, told once, then refused naming the file and the holder, after the timeout', async () => {
    const holder = await holdDuckDbFile(path);
    try {
      const told: string[] = [];
      const started = performance.now();
      const error = await leaseDuckDbFile(path, { lockTimeoutSeconds: 2, onWait: (line) => told.push(line) }).then(
        () => null,
        (e: unknown) => e,
      );
      const waited = (performance.now() - started) / 1000;
      expect(error).toBeInstanceOf(WarehouseLockedError);
      const locked = error as WarehouseLockedError;
      expect(locked.message).toContain(path);
      expect(locked.holder).toContain(`PID ${holder.pid}`);
      expect(locked.message).toMatch(/hint: .*MMM_DUCKDB_LOCK_TIMEOUT/s);
      expect(waited).toBeGreaterThanOrEqual(2);
      expect(told).toEqual([`waiting up to 2 s for the DuckDB warehouse file ${path}: it is locked by another process (${locked.holder})`]);
    } finally {
      await holder.stop();
    }
  });

  test('is opened once the holder lets go within the timeout', async () => {
    const holder = await holdDuckDbFile(path);
    let told = false;
    const opening = leaseDuckDbFile(path, {
      lockTimeoutSeconds: 120,
      onWait: () => {
        told = true;
      },
    });
    // Let go only once the open is seen waiting.
    const deadline = Date.now() + 60_000;
    while (!told && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
    expect(told).toBe(true);
    await holder.stop();
    const lease = await opening;
    lease.release();
  });

  test("lockHolder reads DuckDB's lock error and ignores other errors", () => {
    expect(
      lockHolder(
        new Error(
          'IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 7771). See also https://duckdb.org/docs/stable/connect/concurrency',
        ),
      ),
    ).toBe('/usr/bin/node (PID 7771)');
    expect(lockHolder(new Error('Catalog Error: Table with name mmm_runs does not exist!'))).toBeNull();
  });
});

describe('withDuckDbFileReleased (dbt on the file)', () => {
  test('waits for the open leases to close, lets another process lock the file, and holds new opens until done', async () => {
    const warehouse = await open();
    await warehouse.migrate();
    const events: string[] = [];
    const dbt = withDuckDbFileReleased(path, async () => {
      events.push('dbt starts');
      const other = await holdDuckDbFile(path);
      await other.stop();
      events.push('dbt ends');
    });
    await new Promise((wait) => setTimeout(wait, 100));
    expect(events).toEqual([]);
    const reopened = open().then((w) => {
      events.push('reopened');
      return w;
    });
    await warehouse.close();
    await dbt;
    const again = await reopened;
    expect(events).toEqual(['dbt starts', 'dbt ends', 'reopened']);
    await again.close();
  });
});
