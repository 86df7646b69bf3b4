/** Meridian's 40-geo reference panel (docs/design.md section 8), whole or restricted to its first geos for short fits. */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load-config.ts';
import type { MmmConfig } from '../../src/config/schema.ts';
import { panelFromCsv } from '../../src/data/load-fit-inputs.ts';
import type { Panel } from '../../src/data/panel.ts';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import type { FitSummary } from '../../src/run/fit-summary.ts';
import { writeFitRun } from '../../src/run/run-directory.ts';
import { exampleConfig, referenceFile } from './reference-data.ts';

/** The panel of the first `geos` geos (all 40 when absent) under examples/meridian-geo.json. */
export function meridianGeoPanel(geos?: number): { panel: Panel; config: MmmConfig } {
  const path = referenceFile('meridian/geo_all_channels.csv');
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const geoColumn = header.split(',').indexOf('geo');
  const keep = geos === undefined ? null : new Set(Array.from({ length: geos }, (_, g) => `Geo${g}`));
  const text = [header, ...rows.filter((row) => keep === null || keep.has(row.split(',')[geoColumn]))].join('\n');
  const config = loadConfig(exampleConfig('meridian-geo.json'));
  return { panel: panelFromCsv(text, config, path), config };
}

/**
 * A short fit of the first `geos` of Meridian's geos committed as a run in `dir`: one shared trend and 4 chains
 * x (300 + 150), a fit whose diagnostics pass, so it is publishable (the tests' real geo run); `interactions`
 * adds synergy pairs (model.interactions, their default prior).
 */
export async function writeShortGeoFit(dir: string, geos = 4, interactions: [string, string][] = []): Promise<FitSummary> {
  const { panel, config } = meridianGeoPanel(geos);
  const fit = await fitMmm(panel, {
    ...config,
    model: { ...config.model, geoTrend: 'shared', interactions },
    sampler: { ...config.sampler, chains: 4, warmup: 300, draws: 150, seed: 2 },
  });
  return writeFitRun(dir, panel, fit);
}

/**
 * `copies` copies of Meridian's 40 geos (geo names suffixed `_k`, populations and the KPI unchanged, so each copy
 * is a market as large as its original): a panel of 40 x copies geos for benchmarks that need many geos.
 */
export function replicatedMeridianPanel(copies: number): { panel: Panel; config: MmmConfig } {
  const path = referenceFile('meridian/geo_all_channels.csv');
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const geoColumn = header.split(',').indexOf('geo');
  const copied = Array.from({ length: copies }, (_, k) =>
    rows.map((row) => {
      const cells = row.split(',');
      cells[geoColumn] = `${cells[geoColumn]}_${k}`;
      return cells.join(',');
    }),
  ).flat();
  const config = loadConfig(exampleConfig('meridian-geo.json'));
  return { panel: panelFromCsv([header, ...copied].join('\n'), config, path), config };
}
