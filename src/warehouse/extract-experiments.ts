/**
 * Extract of the experiments mart (dbt's mmm_input_experiments): its rows become the config's experiments
 * (src/config/experiment-config.ts), each checked on its own and against the extracted panel
 * (src/data/resolve-experiments.ts) with problems named by table, column and row, before any fit starts.
 */
import { experimentSchema, type Experiment } from '../config/experiment-config.ts';
import type { MmmConfig } from '../config/schema.ts';
import { DataValidationError, type DataIssue } from '../data/errors.ts';
import type { Panel } from '../data/panel.ts';
import { resolveExperiments } from '../data/resolve-experiments.ts';
import type { InputExperimentRow } from './tables.ts';

const TABLE = 'mmm_input_experiments';

/** Mart column -> schema field. */
const FIELDS = {
  experiment_id: 'id',
  channel: 'channel',
  geo: 'geo',
  start_date: 'start',
  end_date: 'end',
  incremental_outcome: 'incrementalOutcome',
  standard_error: 'standardError',
  spend: 'spend',
  counterfactual_spend: 'counterfactualSpend',
  outcome_type: 'outcomeType',
} as const satisfies Record<keyof InputExperimentRow, string>;
const columnOfField = new Map<string, string>(Object.entries(FIELDS).map(([column, field]) => [field, column]));

/** A date column as yyyy-mm-dd, whichever form the engine's driver returned it in. */
const isoDate = (value: unknown): unknown => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

/** The mart's rows as experiments; throws a DataValidationError naming every bad row. */
export function experimentsFromMart(rows: readonly InputExperimentRow[]): Experiment[] {
  const issues: DataIssue[] = [];
  const experiments = rows.flatMap((row, i) => {
    const parsed = experimentSchema.safeParse({
      id: row.experiment_id,
      channel: row.channel,
      geo: row.geo,
      start: isoDate(row.start_date),
      end: isoDate(row.end_date),
      incrementalOutcome: row.incremental_outcome,
      standardError: row.standard_error,
      spend: row.spend,
      counterfactualSpend: row.counterfactual_spend ?? undefined,
      outcomeType: row.outcome_type ?? undefined,
    });
    if (parsed.success) return [parsed.data];
    for (const problem of parsed.error.issues) {
      const column = columnOfField.get(String(problem.path[0] ?? '')) ?? 'experiment_id';
      const value = String(row[column as keyof InputExperimentRow]);
      issues.push({
        column: `${TABLE}.${column}`,
        row: i + 1,
        value,
        message: `experiment '${row.experiment_id}': ${value}: ${problem.message}`,
      });
    }
    return [];
  });
  if (issues.length > 0) throw new DataValidationError(TABLE, issues);
  return experiments;
}

/** The config with the mart's experiments added, checked against the panel (row numbers are the mart's, in key order). */
export function withMartExperiments(config: MmmConfig, panel: Panel, rows: readonly InputExperimentRow[]): MmmConfig {
  if (rows.length === 0) return config;
  const experiments = experimentsFromMart(rows);
  const channels = config.data.channels.map((channel) => ({ name: channel.name, prior: channel.prior ?? config.model.priors.media }));
  resolveExperiments(experiments, panel, channels, {
    maxLag: config.model.maxLag,
    national: config.data.geo === null,
    source: TABLE,
    rows: rows.map((_, i) => i + 1),
  });
  return { ...config, experiments: [...config.experiments, ...experiments] };
}
