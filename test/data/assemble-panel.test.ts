import { describe, expect, it } from 'vitest';
import { assemblePanel, panelSpecFromConfig } from '../../src/data/assemble-panel.ts';
import { NATIONAL_GEO, type Observation } from '../../src/data/observation.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import { panelDims } from '../../src/data/panel.ts';
import { geoConfig, nationalConfig, syntheticRows, toCsv } from '../fixtures/data/synthetic-csv.ts';

describe('assemblePanel layout', () => {
  it('lays a geo CSV out row-major as panel.ts specifies, whatever the row order', () => {
    const rows = syntheticRows(16, ['North', 'South']);
    const shuffled = [...rows.slice(16).reverse(), ...rows.slice(0, 16).reverse()];
    const panel = panelFromCsv(toCsv(shuffled), geoConfig, 'g.csv');
    const { G, T, C, K } = panelDims(panel);
    expect({ G, T, C, K }).toEqual({ G: 2, T: 16, C: 2, K: 1 });
    // First appearance in the file decides geo order; dates are ascending.
    expect(panel.geos).toEqual(['South', 'North']);
    expect(panel.dates[0]).toBe('2021-01-04');
    expect(panel.dates[15]).toBe('2021-04-19');
    expect(panel.channels).toEqual(['TV', 'Radio']);
    expect(panel.controlNames).toEqual(['promo']);
    expect(panel.kpiType).toBe('non_revenue');

    const north = 1;
    const t = 3;
    const source = rows[t]; // North, week 3
    const cell = north * T + t;
    expect(panel.kpi[cell]).toBe(Number(source.sales));
    expect(panel.spend[cell * C + 0]).toBe(Number(source.tv));
    expect(panel.spend[cell * C + 1]).toBe(Number(source.radio));
    // Radio has a media column; TV is modelled on its spend.
    expect(panel.media[cell * C + 0]).toBe(Number(source.tv));
    expect(panel.media[cell * C + 1]).toBe(Number(source.radio_imps));
    expect(panel.controls[cell * K]).toBe(Number(source.promo));
    expect(Array.from(panel.population)).toEqual([2000, 1000]);
    expect(panel.revenuePerKpi?.length).toBe(G * T);
    expect(panel.revenuePerKpi?.[cell]).toBe(2.5);
  });

  it('gives national data one geo with population 1 and no revenue per KPI', () => {
    const rows = syntheticRows(16).map((row, t) => ({ ...row, date: t === 0 ? '2021/01/04' : `${row.date}T00:00:00Z` }));
    const panel = panelFromCsv(toCsv(rows), nationalConfig, 'n.csv');
    expect(panel.geos).toEqual([NATIONAL_GEO]);
    expect(panel.dates.slice(0, 2)).toEqual(['2021-01-04', '2021-01-11']);
    expect(Array.from(panel.population)).toEqual([1]);
    expect(panel.revenuePerKpi).toBeNull();
    expect(Array.from(panel.media)).toEqual(Array.from(panel.spend));
  });

  it('validates observations from any source and quotes their values without source text', () => {
    const spec = panelSpecFromConfig(nationalConfig, 'warehouse table mmm_input');
    const observations: Observation[] = Array.from({ length: 16 }, (_, t) => ({
      geo: NATIONAL_GEO,
      date: new Date(Date.UTC(2022, 0, 3 + 7 * t)).toISOString().slice(0, 10),
      row: t + 1,
      kpi: 50 + (t % 4),
      spend: [t + 1, 2],
      media: [t + 1, 2],
      controls: [t % 2],
      population: 1,
      revenuePerKpi: null,
    }));
    expect(assemblePanel(observations, spec).kpi[5]).toBe(51);

    observations[4] = { ...observations[4], spend: [Number.NaN, 2], media: [Number.NaN, 2] };
    const error = (() => {
      try {
        assemblePanel(observations, spec);
      } catch (caught) {
        return caught as DataValidationError;
      }
      throw new Error('expected a DataValidationError');
    })();
    expect(error).toBeInstanceOf(DataValidationError);
    expect(error.source).toBe('warehouse table mmm_input');
    expect(error.message).toBe(
      "warehouse table mmm_input: 1 problem:\n  - column 'tv', row 5 (date 2022-01-31): not a finite number: 'NaN'",
    );
  });

  it('rejects observations whose arrays do not match the spec', () => {
    const spec = panelSpecFromConfig(nationalConfig, 'extract');
    const observation: Observation = {
      geo: NATIONAL_GEO,
      date: '2022-01-03',
      row: 1,
      kpi: 1,
      spend: [1],
      media: [1],
      controls: [0],
      population: 1,
      revenuePerKpi: null,
    };
    expect(() => assemblePanel([observation], spec)).toThrow(
      'extract: row 1 has 1 spend, 1 media and 1 control values; the spec has 2 channels and 1 controls',
    );
  });
});
