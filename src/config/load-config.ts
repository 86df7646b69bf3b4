/**
 * Reads and validates the model configuration. Every message names the config source and the JSON
 * path of the offending field, e.g. "config.json: data.channels[1].spend: expected string, received number".
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { interactionPairProblems } from './interaction-settings.ts';
import { mmmConfigSchema, type MmmConfig } from './schema.ts';

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? `${source}: ${problems[0]}`
        : `${source}: ${problems.length} problems:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

type JsonPath = readonly PropertyKey[];

/** data.channels[1].spend */
function formatPath(path: JsonPath): string {
  if (path.length === 0) return '(root)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

function valueAt(json: unknown, path: JsonPath): unknown {
  let value = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** JSON type names, so that messages speak of what the user wrote rather than JavaScript internals. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string[] {
  const at = formatPath(issue.path);
  const value = valueAt(json, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`);
    case 'invalid_type':
      return [
        value === undefined
          ? `${at}: required field is missing (expected ${issue.expected})`
          : `${at}: expected ${issue.expected}, received ${jsonType(value)}`,
      ];
    default:
      return [value === undefined ? `${at}: ${issue.message}` : `${at}: ${issue.message}, received ${JSON.stringify(value)}`];
  }
}

/** Every data column the config names, with the JSON path of the field that names it. */
export function configColumns(config: MmmConfig): [path: string, column: string][] {
  const { data } = config;
  const roles: [string, string | null][] = [
    ['data.date', data.date],
    ['data.geo', data.geo],
    ['data.population', data.population],
    ['data.kpi', data.kpi],
    ['data.revenuePerKpi', data.revenuePerKpi],
    ...data.channels.flatMap((channel, c): [string, string | null][] => [
      [`data.channels[${c}].spend`, channel.spend],
      [`data.channels[${c}].media`, channel.media],
    ]),
    ...data.controls.map((control, k): [string, string] => [`data.controls[${k}]`, control]),
  ];
  return roles.filter((role): role is [string, string] => role[1] !== null);
}

/** Rules that span several fields, which the schema cannot express field by field. */
function crossFieldProblems(config: MmmConfig): string[] {
  const { data } = config;
  const problems: string[] = [];
  const firstUse = new Map<string, string>();
  for (const [path, column] of configColumns(config)) {
    const earlier = firstUse.get(column);
    if (earlier === undefined) firstUse.set(column, path);
    else problems.push(`${path}: column '${column}' is already used as ${earlier}; each column plays one role`);
  }
  const channelPaths = new Map<string, number>();
  data.channels.forEach((channel, c) => {
    const earlier = channelPaths.get(channel.name);
    if (earlier === undefined) channelPaths.set(channel.name, c);
    else problems.push(`data.channels[${c}].name: duplicate channel name '${channel.name}' (also data.channels[${earlier}].name)`);
  });
  if (data.population !== null && data.geo === null) {
    problems.push('data.population: a population column needs a geo column (data.geo); national data uses population 1');
  }
  if (data.revenuePerKpi !== null && data.kpiType === 'revenue') {
    problems.push('data.revenuePerKpi: only meaningful when data.kpiType is "non_revenue" (a revenue KPI is already in revenue)');
  }
  const priors: [string, MmmConfig['model']['priors']['media'] | undefined][] = [
    ['model.priors.media', config.model.priors.media],
    ...data.channels.map((channel, c): [string, typeof channel.prior] => [`data.channels[${c}].prior`, channel.prior]),
  ];
  for (const [path, prior] of priors) {
    if (prior?.type === 'roi' && prior.window !== undefined && prior.window.start > prior.window.end) {
      problems.push(`${path}.window: start ${prior.window.start} is after end ${prior.window.end}`);
    }
  }
  if (config.model.residuals === 'ar1' && config.model.likelihood !== 'normal') {
    problems.push(
      `model.residuals: "ar1" needs the normal likelihood, and model.likelihood is "${config.model.likelihood}"; set model.residuals to "independent" or model.likelihood to "normal"`,
    );
  }
  problems.push(
    ...interactionPairProblems(
      config.model.interactions,
      data.channels.map((channel) => channel.name),
    ),
  );
  return problems;
}

/** Validates parsed JSON against the config schema; `source` names it in messages. */
export function parseConfig(json: unknown, source: string): MmmConfig {
  const result = mmmConfigSchema.safeParse(json);
  if (!result.success)
    throw new ConfigError(
      source,
      result.error.issues.flatMap((issue) => describeIssue(issue, json)),
    );
  const problems = crossFieldProblems(result.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return result.data;
}

/** "at position 57" in a JSON.parse message, as the line and column an editor shows. */
function syntaxLocation(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (position === null) return '';
  const before = text.slice(0, Number(position[1])).split('\n');
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

export function loadConfig(path: string): MmmConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the config file (${(error as Error).message})`]);
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    const message = (error as Error).message;
    throw new ConfigError(path, [`invalid JSON${syntaxLocation(body, message)}: ${message}`]);
  }
  return parseConfig(json, path);
}
