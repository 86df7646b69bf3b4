/**
 * Schema migrations: the numbered SQL files (V001__name.sql, ...) of an engine's history applied in
 * order, each once, recorded with a checksum in mmm_schema_migrations. An engine's history is its own
 * folder sql/<engine>/ (V001-V003, frozen: their checksums are recorded in every warehouse) and the
 * folder sql/shared/, where a migration is written once with dialect tokens (sql-dialect.ts) and
 * rendered for the engine. An applied file that was edited afterwards is refused rather than silently
 * diverging from the warehouse.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../io/runtime-location.ts';
import { DIALECTS, type Engine, renderDialect } from './sql-dialect.ts';

export const SQL_DIR = join(PROJECT_ROOT, 'sql');
/** The folder of sql/ whose migrations every engine applies, rendered in its dialect. */
export const SHARED_SQL = 'shared';
export const MIGRATIONS_TABLE = 'mmm_schema_migrations';
const FILE_PATTERN = /^V(\d{3})__([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  file: string;
  checksum: string;
  /** The file's statements in the engine's dialect, with {{schema}} still in place. */
  statements: string[];
}

export interface AppliedMigration {
  version: number;
  checksum: string;
}

/** What an engine provides to the migration runner. */
export interface MigrationTarget {
  /** How {{schema}} renders on this engine (a quoted schema or dataset). */
  readonly schemaRef: string;
  ensureHistoryTable(): Promise<void>;
  appliedMigrations(): Promise<AppliedMigration[]>;
  /** Runs the statements and records the migration (atomically where the engine can). */
  apply(migration: Migration, statements: string[]): Promise<void>;
}

export interface MigrationReport {
  applied: string[];
  upToDate: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Splits a script into statements at semicolons outside quotes and comments; comments and blank
 * statements are dropped.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const ch = script[i];
    if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end < 0 ? script.length : end;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const close = script.indexOf(ch, i + 1);
      if (close < 0) throw new MigrationError(`unterminated ${ch} quote in SQL starting '${script.slice(i, i + 40)}'`);
      current += script.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    if (ch === ';') {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
    i++;
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

/** The migration files of one folder, if it exists; the checksum is of the file as written (a template stays one file). */
function readMigrationFolder(dir: string, engine: Engine): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (match === null) throw new MigrationError(`${join(dir, file)}: migration files are named V###__lower_snake_name.sql`);
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(match[1]),
        name: match[2],
        file: join(dir, file),
        checksum: createHash('sha256').update(text).digest('hex'),
        statements: splitStatements(renderDialect(text, DIALECTS[engine], join(dir, file))),
      };
    });
}

/** The engine's migration history: sql/<engine>/ and sql/shared/ together, by version. */
export function loadMigrations(engine: Engine, sqlDir: string = SQL_DIR): Migration[] {
  const dir = join(sqlDir, engine);
  const migrations = [...readMigrationFolder(dir, engine), ...readMigrationFolder(join(sqlDir, SHARED_SQL), engine)].sort(
    (a, b) => a.version - b.version || a.file.localeCompare(b.file),
  );
  migrations.forEach((m, i) => {
    const label = `V${String(m.version).padStart(3, '0')}`;
    if (i > 0 && migrations[i - 1].version === m.version)
      throw new MigrationError(`${label} is both ${migrations[i - 1].file} and ${m.file}; a version is one file`);
    if (m.version !== i + 1)
      throw new MigrationError(`${dir}: migration versions must run 1, 2, 3, ... without gaps; found ${label} at position ${i + 1}`);
  });
  return migrations;
}

export const renderStatement = (statement: string, schemaRef: string): string => statement.replaceAll('{{schema}}', schemaRef);

export async function runMigrations(target: MigrationTarget, migrations: Migration[]): Promise<MigrationReport> {
  await target.ensureHistoryTable();
  const applied = new Map((await target.appliedMigrations()).map((m) => [m.version, m.checksum]));
  const report: MigrationReport = { applied: [], upToDate: [] };
  for (const migration of migrations) {
    const label = `V${String(migration.version).padStart(3, '0')}__${migration.name}`;
    const checksum = applied.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new MigrationError(
          `${migration.file} was changed after it was applied (checksum ${checksum.slice(0, 12)} recorded, ` +
            `${migration.checksum.slice(0, 12)} now); add a new migration instead of editing an applied one`,
        );
      }
      report.upToDate.push(label);
      continue;
    }
    const statements = migration.statements.map((s) => renderStatement(s, target.schemaRef));
    try {
      await target.apply(migration, statements);
    } catch (error) {
      throw new MigrationError(`${migration.file} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    report.applied.push(label);
  }
  return report;
}
