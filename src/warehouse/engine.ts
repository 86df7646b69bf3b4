/**
 * What the product needs of a warehouse engine besides the Warehouse it opens, bound to one config:
 * how dbt reaches it, where dbt reads the raw exports, how it is named in messages, whether there is
 * one to read. Each engine folder (duckdb/, bigquery/) describes itself; the registry
 * (open-warehouse.ts) is the one place that chooses among them.
 */
import { z } from 'zod';
import type { Engine } from './sql-dialect.ts';
import type { Warehouse } from './warehouse.ts';

/** Where dbt reads the raw exports: a folder of files or a dataset of loaded tables. */
export interface RawExportsLocation {
  rawDir: string;
  rawDataset?: string;
}

export interface WarehouseEngine {
  readonly name: Engine;
  /** Where its warehouse is, for messages: the absolute file, or 'project.dataset'. */
  readonly location: string;
  open(): Promise<Warehouse>;
  /** The variables dbt/profiles.yml reads to reach this warehouse (its target among them). */
  dbtProfile(rawDataset: string | undefined): Record<string, string>;
  /** Runs dbt, a process of its own, with the access it needs (DuckDB: the file released by this process meanwhile). */
  whileDbtRuns<T>(run: () => Promise<T>): Promise<T>;
  /** Where dbt reads the raw exports on this engine, from what the worker was given; the problem when something is missing. */
  rawExports(given: { rawDir?: string; rawDataset?: string }): RawExportsLocation | { problem: string };
  /** Why there is no warehouse to read there (opening would create an empty one), or null. */
  absence(): string | null;
}

/** How an engine's config is read from the environment: the variable of each field, and how its text becomes the value. */
export type EngineVariables<Config> = {
  readonly [Field in Exclude<keyof Config, 'engine'>]-?: { readonly variable: string; readonly parse?: (text: string) => unknown };
};

/** Schema, dataset and table-prefix names: letters, digits and underscores, not starting with a digit. */
export const sqlIdentifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores, not starting with a digit');
