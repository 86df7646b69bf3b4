/** Synergy coefficients (issue 16) are named in the layout and explained by their family when they mix poorly. */
import { describe, expect, it } from 'vitest';
import { createMmmModel } from '../../src/model/model.ts';
import { explainParameter } from '../../src/model/parameter-families.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('synergy coefficients in the parameter layout', () => {
  it('names one coordinate per pair after its channels and explains it as the pair synergy', () => {
    const sim = simulateDataset({
      geos: 1,
      weeks: 60,
      channels: 3,
      controls: 0,
      seed: 2,
      noiseSd: 0.3,
      model: {
        maxLag: 2,
        interactions: [
          ['ch2', 'ch0'],
          ['ch0', 'ch1'],
        ],
      },
    });
    const { layout } = createMmmModel(sim.panel, sim.config);
    expect(layout.names.slice(layout.interaction, layout.interaction + 2)).toEqual(['interaction[ch2,ch0]', 'interaction[ch0,ch1]']);
    expect(layout.names.filter((name) => name.startsWith('interaction'))).toHaveLength(2);
    const explanation = explainParameter('interaction[ch2,ch0]', 2);
    expect(explanation?.family).toBe('the synergy of ch2 and ch0');
    expect(explanation?.suggestion).toContain('model.priors.interaction.scale');
  });

  it('has no synergy block without pairs', () => {
    const sim = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 0, seed: 2, noiseSd: 0.3, model: { maxLag: 2 } });
    const { layout } = createMmmModel(sim.panel, sim.config);
    expect(layout.interaction).toBe(-1);
    expect(layout.names.some((name) => name.startsWith('interaction'))).toBe(false);
  });
});

describe('explanations of per-geo coefficients name the pooling form to switch to', () => {
  const layoutNames = (geoPooling: 'centred' | 'non_centred'): string[] => {
    const sim = simulateDataset({ geos: 3, weeks: 104, channels: 2, controls: 1, seed: 1, noiseSd: 0.3, model: { geoPooling } });
    return createMmmModel(sim.panel, sim.config).layout.names;
  };

  it('advises the non-centred form for centred geo trends and controls', () => {
    const names = layoutNames('centred');
    for (const name of ['trend[geo1,2]', 'gamma[geo0,ctrl0]']) {
      expect(names).toContain(name);
      expect(explainParameter(name, 3)?.suggestion).toContain('model.geoPooling to "non_centred"');
    }
    expect(explainParameter('gamma[geo0,ctrl0]', 3)?.family).toBe('the geo values of the control ctrl0');
  });

  it('advises the centred form for non-centred geo trends and controls', () => {
    const names = layoutNames('non_centred');
    for (const name of ['trend_dev[geo1,2]', 'gamma_dev[geo0,ctrl0]']) {
      expect(names).toContain(name);
      expect(explainParameter(name, 3)?.suggestion).toContain('model.geoPooling to "centred"');
    }
  });

  it('keeps the shared coefficients on their own advice', () => {
    expect(explainParameter('trend[2]', 3)?.suggestion).toContain('add knots (model.knots, now 3)');
    expect(explainParameter('gamma[ctrl0]', 3)?.suggestion).not.toContain('geoPooling');
    expect(explainParameter('xi[ctrl0]', 3)?.suggestion).toContain('model.geoPooling to the other form');
  });
});
