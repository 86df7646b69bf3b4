/**
 * The engine registry: which warehouse to use, how to reach it, and the one place that chooses among
 * the engines (warehouseEngine's switch; the compiler refuses it while an engine of sql-dialect.ts
 * lacks a case). Read from the environment with the same variables the dbt profile (dbt/profiles.yml)
 * reads, so the product and dbt always point at the same place. Callers ask the chosen engine
 * (engine.ts) instead of testing engine names.
 */
import { z } from 'zod';
import { bigqueryConfigSchema, bigqueryVariables } from './bigquery/config.ts';
import { bigqueryEngine } from './bigquery/engine.ts';
import { duckdbConfigSchema, duckdbVariables } from './duckdb/config.ts';
import { duckdbEngine } from './duckdb/engine.ts';
import type { EngineVariables, WarehouseEngine } from './engine.ts';
import type { Engine } from './sql-dialect.ts';
import type { Warehouse } from './warehouse.ts';

export const warehouseConfigSchema = z.discriminatedUnion('engine', [duckdbConfigSchema, bigqueryConfigSchema]);
export type WarehouseConfig = z.infer<typeof warehouseConfigSchema>;

/** The environment variables of each engine's config; MMM_WAREHOUSE names the engine. */
const VARIABLES: { [E in Engine]: EngineVariables<Extract<WarehouseConfig, { engine: E }>> } = {
  duckdb: duckdbVariables,
  bigquery: bigqueryVariables,
};
const ENGINE_VARIABLE = 'MMM_WAREHOUSE';

/** The engine of a config: the one switch over engine names. */
export function warehouseEngine(config: WarehouseConfig): WarehouseEngine {
  switch (config.engine) {
    case 'duckdb':
      return duckdbEngine(config);
    case 'bigquery':
      return bigqueryEngine(config);
  }
}

export function openWarehouse(config: WarehouseConfig): Promise<Warehouse> {
  return warehouseEngine(config).open();
}

export class WarehouseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WarehouseConfigError';
  }
}

const isEngine = (name: string): name is Engine => Object.hasOwn(VARIABLES, name);

/**
 * MMM_WAREHOUSE = duckdb (default) | bigquery, then the engine's own variables (duckdb/config.ts,
 * bigquery/config.ts). A bad value is refused naming its variable and what it is.
 */
export function warehouseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WarehouseConfig {
  const engine = env[ENGINE_VARIABLE] ?? 'duckdb';
  const variables: Record<string, { variable: string; parse?: (text: string) => unknown }> = isEngine(engine) ? VARIABLES[engine] : {};
  const candidate: Record<string, unknown> = { engine };
  for (const [field, { variable, parse }] of Object.entries(variables)) {
    const text = env[variable];
    if (text !== undefined) candidate[field] = parse === undefined ? text : parse(text);
  }
  const parsed = warehouseConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const variable = (path: PropertyKey[]): string =>
      path[0] === 'engine' ? ENGINE_VARIABLE : (variables[String(path[0])]?.variable ?? String(path[0]));
    const given = (name: string): string => (env[name] === undefined ? '' : ` (it is '${env[name]}')`);
    throw new WarehouseConfigError(
      parsed.error.issues.map((i) => `${variable(i.path)}: ${i.message}${given(variable(i.path))}`).join('; '),
    );
  }
  return parsed.data;
}
