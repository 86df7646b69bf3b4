import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load-config.ts';

type JsonObject = Record<string, unknown>;

/** A minimal valid config; tests change one field at a time. */
const minimal = (): { data: JsonObject & { channels: JsonObject[] } } => ({
  data: {
    date: 'date_week',
    kpi: 'y',
    channels: [
      { name: 'x1', spend: 'x1' },
      { name: 'x2', spend: 'x2' },
    ],
    controls: ['event_1'],
  },
});

function configError(json: unknown): ConfigError {
  try {
    parseConfig(json, 'config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills defaults for everything a config leaves out', () => {
    const config = parseConfig(minimal(), 'config.json');
    expect(config.data.geo).toBeNull();
    expect(config.data.channels[1]).toEqual({ name: 'x2', spend: 'x2', media: null });
    expect(config.model.maxLag).toBe(8);
    expect(config.model.priors.media).toEqual({ type: 'roi', mu: 0.2, sigma: 0.9 });
    expect(config.sampler.chains).toBe(4);
  });

  it('takes the warm-up metric adaptation from the sampler section, chosen by dimension by default', () => {
    expect(parseConfig(minimal(), 'config.json').sampler.metricAdaptation).toBe('auto');
    expect(parseConfig({ ...minimal(), sampler: { metricAdaptation: 'windowed' } }, 'config.json').sampler.metricAdaptation).toBe(
      'windowed',
    );
    expect(configError({ ...minimal(), sampler: { metricAdaptation: 'full' } }).problems).toEqual([
      'sampler.metricAdaptation: Invalid option: expected one of "auto"|"low-rank"|"dense"|"gradient"|"windowed"|"windowed-dense", received "full"',
    ]);
  });

  it('names the JSON path of a missing required field', () => {
    const json = minimal();
    delete json.data.kpi;
    expect(configError(json).message).toBe('config.json: data.kpi: required field is missing (expected string)');
  });

  it('names the JSON path and both types of a wrong type', () => {
    const json = minimal();
    json.data.channels[1].spend = 42;
    expect(configError(json).message).toBe('config.json: data.channels[1].spend: expected string, received number');
  });

  it('names the JSON path of an unknown key', () => {
    expect(configError({ ...minimal(), model: { maxlag: 4 } }).message).toBe('config.json: model.maxlag: unknown key');
  });

  it('quotes the value of an out-of-range number and of an unknown option', () => {
    const error = configError({ data: { ...minimal().data, kpiType: 'sales' }, model: { maxLag: -1 } });
    expect(error.problems).toEqual([
      'data.kpiType: Invalid option: expected one of "revenue"|"non_revenue", received "sales"',
      'model.maxLag: Too small: expected number to be >=0, received -1',
    ]);
    expect(error.message).toBe(`config.json: 2 problems:\n  - ${error.problems[0]}\n  - ${error.problems[1]}`);
  });

  it('refuses AR(1) residuals under the Student-t likelihood, naming both settings', () => {
    expect(configError({ ...minimal(), model: { residuals: 'ar1', likelihood: 'student_t' } }).problems).toEqual([
      'model.residuals: "ar1" needs the normal likelihood, and model.likelihood is "student_t"; set model.residuals to "independent" or model.likelihood to "normal"',
    ]);
    expect(parseConfig({ ...minimal(), model: { residuals: 'ar1' } }, 'config.json').model.residuals).toBe('ar1');
    expect(parseConfig(minimal(), 'config.json').model.residuals).toBe('ar1');
    expect(parseConfig({ ...minimal(), model: { likelihood: 'student_t' } }, 'config.json').model.residuals).toBe('independent');
  });

  it('reports a config that is not an object at the root', () => {
    expect(configError([]).message).toBe('config.json: (root): expected object, received array');
  });

  it('rejects a column used in two roles', () => {
    const json = minimal();
    json.data.controls = ['x1'];
    expect(configError(json).message).toBe(
      "config.json: data.controls[0]: column 'x1' is already used as data.channels[0].spend; each column plays one role",
    );
  });

  it('rejects duplicate channel names', () => {
    const json = minimal();
    json.data.channels[1].name = 'x1';
    expect(configError(json).message).toBe("config.json: data.channels[1].name: duplicate channel name 'x1' (also data.channels[0].name)");
  });

  it('rejects a population column on national data and revenue per KPI on a revenue KPI', () => {
    const error = configError({ data: { ...minimal().data, population: 'pop', revenuePerKpi: 'rpk' } });
    expect(error.problems).toEqual([
      'data.population: a population column needs a geo column (data.geo); national data uses population 1',
      'data.revenuePerKpi: only meaningful when data.kpiType is "non_revenue" (a revenue KPI is already in revenue)',
    ]);
  });

  it('rejects a lift-test window that ends before it starts', () => {
    const json = minimal();
    json.data.channels[0].prior = { type: 'roi', window: { start: '2021-03-01', end: '2021-02-01' } };
    expect(configError(json).message).toBe('config.json: data.channels[0].prior.window: start 2021-03-01 is after end 2021-02-01');
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-load-config-'));

  it('reads the example configs', () => {
    const examples = new URL('../../examples/', import.meta.url).pathname;
    expect(loadConfig(join(examples, 'pymc-example.json')).model.knots).toBe(2);
    expect(loadConfig(join(examples, 'meridian-national.json')).data.revenuePerKpi).toBe('revenue_per_conversion');
    const geo = loadConfig(join(examples, 'meridian-geo.json'));
    expect([geo.data.geo, geo.data.population, geo.model.knots]).toEqual(['geo', 'population', undefined]);
  });

  it('gives the line and column of a JSON syntax error', () => {
    const path = join(dir, 'syntax.json');
    writeFileSync(path, '{\n  "data": {\n    "kpi": "y",\n  }\n}\n');
    expect(() => loadConfig(path)).toThrow(`${path}: invalid JSON at line 4, column 3: `);
  });

  it('names the path of a config file it cannot read', () => {
    const path = join(dir, 'absent.json');
    expect(() => loadConfig(path)).toThrow(`${path}: cannot read the config file (ENOENT`);
  });

  it('names the file in schema errors', () => {
    const path = join(dir, 'schema.json');
    writeFileSync(path, `\uFEFF${JSON.stringify({ data: { date: 'd', kpi: 'y', channels: [{ name: 'a', spend: 'a', medium: 'b' }] } })}`);
    expect(() => loadConfig(path)).toThrow(`${path}: data.channels[0].medium: unknown key`);
  });
});
