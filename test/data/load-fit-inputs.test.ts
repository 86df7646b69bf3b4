import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { panelDims } from '../../src/data/panel.ts';
import { REFERENCE_DATA } from '../support/reference-data.ts';

const DATA = REFERENCE_DATA;
const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;

describe('loadFitInputs on the reference data with the example configs', () => {
  it('reads the PyMC-Marketing example as a national panel', () => {
    const { config, panel } = loadFitInputs(`${DATA}/pymc-marketing/mmm_example.csv`, join(EXAMPLES, 'pymc-example.json'));
    expect(config.model.saturation).toBe('logistic');
    expect(config.model.priors.media).toEqual({ type: 'coefficient', scale: 5 });
    expect(panelDims(panel)).toEqual({ G: 1, T: 179, C: 2, K: 2 });
    expect(panel.geos).toEqual(['national']);
    expect(panel.channels).toEqual(['x1', 'x2']);
    expect(panel.controlNames).toEqual(['event_1', 'event_2']);
    expect(panel.kpiType).toBe('revenue');
    expect([panel.dates[0], panel.dates[48], panel.dates[178]]).toEqual(['2018-04-02', '2019-03-04', '2021-08-30']);
    expect(panel.kpi[0]).toBe(3984.662237343649);
    expect(panel.kpi[48]).toBe(5540.679227096547);
    expect(panel.spend[48 * 2]).toBe(0.2481417037518173);
    expect(panel.spend[178 * 2]).toBe(0.4388571605640426);
    expect(Array.from(panel.media)).toEqual(Array.from(panel.spend));
    expect(Array.from(panel.population)).toEqual([1]);
    expect(panel.revenuePerKpi).toBeNull();
  });

  it('reads the Meridian national file with revenue per conversion', () => {
    const { panel } = loadFitInputs(`${DATA}/meridian/national_all_channels.csv`, join(EXAMPLES, 'meridian-national.json'));
    const { T, C } = panelDims(panel);
    expect(panelDims(panel)).toEqual({ G: 1, T: 156, C: 5, K: 2 });
    expect([panel.dates[0], panel.dates[T - 1]]).toEqual(['2021-01-25', '2024-01-15']);
    expect(panel.kpiType).toBe('non_revenue');
    expect(panel.kpi[T - 1]).toBe(422429715.8);
    expect(Array.from(panel.spend.subarray((T - 1) * C, T * C))).toEqual([
      266544.04888, 101260.50547999999, 83750.78419, 647404.2573, 210832.781673,
    ]);
    expect(panel.controls[(T - 1) * 2 + 1]).toBe(0.525032075006988);
    expect(panel.revenuePerKpi?.[T - 1]).toBe(0.020001105875);
  });

  it('reads the Meridian geo file (empty first header) as 40 geos x 156 weeks', () => {
    const { panel } = loadFitInputs(`${DATA}/meridian/geo_all_channels.csv`, join(EXAMPLES, 'meridian-geo.json'));
    const { G, T, C, K } = panelDims(panel);
    expect({ G, T, C, K }).toEqual({ G: 40, T: 156, C: 5, K: 2 });
    expect(panel.geos.slice(0, 3)).toEqual(['Geo0', 'Geo1', 'Geo10']);
    expect(Array.from(panel.population.subarray(0, 2))).toEqual([136670.94, 199816.9]);
    // Geo1, 2021-02-01 (the second week).
    const cell = 1 * T + 1;
    expect(panel.dates[1]).toBe('2021-02-01');
    expect(panel.kpi[cell]).toBe(1900217.6);
    expect(Array.from(panel.spend.subarray(cell * C, (cell + 1) * C))).toEqual([4381.4414, 3480.475, 1895.9633, 4557.6816, 3523.3933]);
    expect(Array.from(panel.controls.subarray(cell * K, (cell + 1) * K))).toEqual([1.0094333, 1.3229833]);
    expect(panel.revenuePerKpi?.[cell]).toBe(0.019932954);
    expect(panel.geos.at(-1)).toBe('Geo9');
  });
});

describe('loadFitInputs errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-load-fit-inputs-'));

  it('checks the config before touching the data', () => {
    const configPath = join(dir, 'bad.json');
    writeFileSync(configPath, JSON.stringify({ data: { date: 'date_week', kpi: 'y', channels: [] } }));
    expect(() => loadFitInputs(join(dir, 'absent.csv'), configPath)).toThrow(ConfigError);
  });

  it('reports an unreadable data file as a data error naming the path', () => {
    const missing = join(dir, 'absent.csv');
    let caught: unknown;
    try {
      loadFitInputs(missing, join(EXAMPLES, 'pymc-example.json'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataValidationError);
    expect((caught as Error).message).toMatch(new RegExp(`^${missing}: 1 problem:\\n  - cannot read the data file \\(ENOENT`));
  });

  it('names the config field of each column the data lacks', () => {
    expect(() => loadFitInputs(`${DATA}/meridian/national_all_channels.csv`, join(EXAMPLES, 'meridian-geo.json'))).toThrow(
      [
        `${DATA}/meridian/national_all_channels.csv: 2 problems:`,
        "  - column 'geo': column not found in the header (named by data.geo)",
        "  - column 'population': column not found in the header (named by data.population)",
      ].join('\n'),
    );
  });
});
