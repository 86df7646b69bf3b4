/** The DuckDB dialect returns plain values whatever the process time zone is. */
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDbDialect } from '../../src/warehouse/duckdb/kysely-dialect.ts';

interface T {
  t: { d: string; ts: string; n: number; b: number; x: number };
}

describe('DuckDbDialect', () => {
  let instance: DuckDBInstance;
  let db: Kysely<T>;
  const zone = process.env.TZ;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    db = new Kysely<T>({ dialect: new DuckDbDialect(instance, 'main') });
    await sql`create table t (d date, ts timestamptz, n decimal(18, 2), b bigint, x double)`.execute(db);
  });
  afterAll(async () => {
    process.env.TZ = zone;
    await db.destroy();
    instance.closeSync();
  });

  test.each(['Asia/Tokyo', 'America/Los_Angeles', 'UTC'])('DATE, TIMESTAMPTZ, DECIMAL and BIGINT read the same in %s', async (tz) => {
    process.env.TZ = tz;
    await db.deleteFrom('t').execute();
    const inserted = await db
      .insertInto('t')
      .values({ d: '2024-01-01', ts: '2024-01-01T00:30:00.000Z', n: 12.34, b: 9_007_199_254_740_991, x: 0.1 })
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([
      { d: '2024-01-01', ts: '2024-01-01T00:30:00.000Z', n: 12.34, b: 9_007_199_254_740_991, x: 0.1 },
    ]);
  });

  test('an integer beyond 2^53 is refused rather than rounded', async () => {
    await expect(sql`select cast(9007199254740993 as bigint) as big`.execute(db)).rejects.toThrow(
      /column 'big': integer 9007199254740993 exceeds 2\^53/,
    );
  });

  test('affected rows come from DuckDB', async () => {
    const deleted = await db.deleteFrom('t').executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
  });

  test("the introspector lists the schema's tables with their columns in order", async () => {
    const [table] = await db.introspection.getTables();
    expect(table.name).toBe('t');
    expect(table.columns.map((c) => [c.name, c.dataType])).toEqual([
      ['d', 'DATE'],
      ['ts', 'TIMESTAMP WITH TIME ZONE'],
      ['n', 'DECIMAL(18,2)'],
      ['b', 'BIGINT'],
      ['x', 'DOUBLE'],
    ]);
  });
});
