/**
 * Acceptance: a command whose DuckDB warehouse file is locked by another process waits for it (saying
 * so), then refuses naming the file and the holder, exits 1, and writes nothing. Runs the real CLI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/warehouse/migrate.ts';
import { holdDuckDbFile } from '../warehouse/support/hold-duckdb-file.ts';
import { runMmm } from '../support/run-mmm.ts';

const LOCK_TIMEOUT_SECONDS = 3;

async function tablesIn(path: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(path);
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll('select table_name from information_schema.tables order by table_name');
    connection.closeSync();
    return reader.getRows().map(([name]) => String(name));
  } finally {
    instance.closeSync();
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmm-locked-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a DuckDB warehouse locked by another process', () => {
  it(`mmm migrate waits ${LOCK_TIMEOUT_SECONDS} s (MMM_DUCKDB_LOCK_TIMEOUT), then fails naming the file and the holder, exit 1, nothing written`, async () => {
    const path = join(dir, 'warehouse.duckdb');
    const holder = await holdDuckDbFile(path);
    let result;
    try {
      result = await runMmm(['migrate', '--duckdb', path], { env: { MMM_DUCKDB_LOCK_TIMEOUT: String(LOCK_TIMEOUT_SECONDS) } });
    } finally {
      await holder.stop();
    }
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const [waiting, refusal, hint] = result.stderr.trim().split('\n');
    expect(waiting).toBe(
      `waiting up to ${LOCK_TIMEOUT_SECONDS} s for the DuckDB warehouse file ${path}: it is locked by another process (${process.execPath} (PID ${holder.pid}))`,
    );
    expect(refusal).toMatch(
      new RegExp(
        `^mmm migrate: WarehouseLockedError: the DuckDB warehouse file ${path} is locked by another process \\(.*PID ${holder.pid}\\)`,
      ),
    );
    expect(hint).toMatch(/hint: .*MMM_DUCKDB_LOCK_TIMEOUT/);
    expect(result.seconds).toBeGreaterThanOrEqual(LOCK_TIMEOUT_SECONDS);
    expect(await tablesIn(path)).toEqual([]);
  });

  it('mmm migrate proceeds once the holder lets go within the timeout', async () => {
    const path = join(dir, 'warehouse.duckdb');
    const holder = await holdDuckDbFile(path);
    const running = runMmm(['migrate', '--duckdb', path], { env: { MMM_DUCKDB_LOCK_TIMEOUT: '300' } });
    // Let go after a moment; the command is waiting by then or has not opened the file yet, either way it must succeed.
    await new Promise((wait) => setTimeout(wait, 1000));
    await holder.stop();
    const result = await running;
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`applied ${loadMigrations('duckdb').length} migration\\(s\\)`));
    expect(await tablesIn(path)).toContain('mmm_runs');
  });

  it('an unusable MMM_DUCKDB_LOCK_TIMEOUT is refused naming the variable', async () => {
    const result = await runMmm(['migrate', '--duckdb', join(dir, 'w.duckdb')], { env: { MMM_DUCKDB_LOCK_TIMEOUT: 'soon' } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/MMM_DUCKDB_LOCK_TIMEOUT: expected a number of seconds \(it is 'soon'\)/);
  });
});
