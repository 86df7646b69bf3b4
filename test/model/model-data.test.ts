/** The knots default: about one a year, at least two, national and geo alike; an explicit setting wins. */
import { describe, expect, it } from 'vitest';
import { buildModelData, defaultKnots } from '../../src/model/model-data.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('knots', () => {
  it('defaults to round(weeks / 52) + 1, at least 2', () => {
    expect([26, 52, 78, 104, 130, 156, 179, 260].map(defaultKnots)).toEqual([2, 2, 3, 3, 4, 4, 4, 6]);
  });

  it('gives national and geo data the same trend, and keeps an explicit setting', () => {
    for (const geos of [1, 3]) {
      const sim = simulateDataset({ geos, weeks: 104, channels: 2, controls: 0, seed: 4, noiseSd: 0.3, model: { knots: 1 } });
      const { knots: _pinned, ...model } = sim.config.model;
      expect(buildModelData(sim.panel, { ...sim.config, model }).nKnots, `${geos} geos`).toBe(3);
      expect(buildModelData(sim.panel, sim.config).nKnots, `${geos} geos, knots 1`).toBe(1);
    }
  });
});
