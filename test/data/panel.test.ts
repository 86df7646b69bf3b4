/** leadingWeeks keeps the first weeks of every geo's series (the panel's arrays are geo-major, then week). */
import { describe, expect, it } from 'vitest';
import { leadingWeeks, panelDims } from '../../src/data/panel.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('leadingWeeks', () => {
  const { panel } = simulateDataset({ geos: 3, weeks: 60, channels: 2, controls: 2, seed: 5, noiseSd: 0.3 });
  const { G, T, C, K } = panelDims(panel);
  const kept = leadingWeeks(panel, 7);

  it("keeps each geo's first weeks of every series, and nothing else", () => {
    expect(kept.dates).toEqual(panel.dates.slice(0, 7));
    expect(panelDims(kept)).toEqual({ G, T: 7, C, K });
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < 7; t++) {
        expect(kept.kpi[g * 7 + t]).toBe(panel.kpi[g * T + t]);
        for (let c = 0; c < C; c++) {
          expect(kept.spend[(g * 7 + t) * C + c]).toBe(panel.spend[(g * T + t) * C + c]);
          expect(kept.media[(g * 7 + t) * C + c]).toBe(panel.media[(g * T + t) * C + c]);
        }
        for (let k = 0; k < K; k++) expect(kept.controls[(g * 7 + t) * K + k]).toBe(panel.controls[(g * T + t) * K + k]);
      }
    }
    expect(kept.geos).toEqual(panel.geos);
    expect(kept.population).toEqual(panel.population);
  });

  it('refuses a count outside 1..T', () => {
    expect(() => leadingWeeks(panel, 0)).toThrow(/first 0 of 60 weeks/);
    expect(() => leadingWeeks(panel, 61)).toThrow(/first 61 of 60 weeks/);
  });
});
