import { describe, expect, it } from 'vitest';
import { choosePooling } from '../../../src/model/pooling/choose-pooling.ts';
import type { PoolingKind } from '../../../src/model/pooling/index.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';
import { createMmmModel } from '../../../src/model/model.ts';
import { generateSpreadPanel } from '../../support/geo-spread-panels.ts';

const block = (estimates: number[], standardError: number) => ({
  estimates: Float64Array.from(estimates),
  standardErrors: new Float64Array(estimates.length).fill(standardError),
  geos: estimates.length,
  coefficients: 1,
});

describe('choosePooling', () => {
  it('centres coefficients the geos pin more tightly than they differ', () => {
    const evidence = choosePooling(block([-1, 0.5, 2, -0.3, 1.1], 0.1));
    expect(evidence.kind).toBe('centred');
    expect(evidence.standardErrorVariance).toBeCloseTo(0.01, 12);
    expect(evidence.spreadVariance).toBeGreaterThan(1);
  });

  it('does not centre coefficients whose differences the standard errors explain', () => {
    expect(choosePooling(block([0.1, -0.05, 0.02, 0.08, -0.1], 0.2))).toMatchObject({ kind: 'non_centred', spreadVariance: 0 });
  });

  it('does not centre coefficients some geo cannot identify', () => {
    const evidence = choosePooling({ ...block([-1, 0.5, 2], 0.1), standardErrors: Float64Array.from([0.1, Infinity, 0.1]) });
    expect(evidence.kind).toBe('non_centred');
  });
});

describe('geo pooling chosen from the data', () => {
  // Simulated 10-geo panels whose control effects differ between geos by xi ~ HalfNormal(scale): a large
  // spread is pinned by 104 weeks of each geo, so it is centred; a zero spread is not.
  const pooling = (xiScale: number, seed: number) => {
    const { panel, config } = simulateDataset({
      geos: 10,
      weeks: 104,
      channels: 3,
      controls: 2,
      seed,
      noiseSd: 0.3,
      model: { priors: { xi: { scale: xiScale } } },
    });
    return createMmmModel(panel, config).data.pooling;
  };

  it('centres controls whose effect differs widely between geos, in most panels', () => {
    const controls = [1, 2, 3, 4].flatMap((seed) => pooling(0.5, seed).controls);
    expect(controls.filter((kind) => kind === 'centred').length).toBeGreaterThanOrEqual(7);
  });

  it('does not centre controls whose effect is the same in every geo, in most panels', () => {
    const controls = [1, 2, 3, 4].flatMap((seed) => pooling(1e-4, seed).controls);
    expect(controls.filter((kind) => kind === 'non_centred').length).toBeGreaterThanOrEqual(7);
  });

  // Panels of 5, 10 and 20 geos (25 seeds each) whose control effects differ between geos by a set spread, in
  // scaled KPI units per standardised control; their media explain most of the KPI's variance. With the media
  // left out of each geo's regression, 129 of 150 controls of spread 0.15 were centred (86%) and 12 of 150 of
  // spread 0 (docs/model.md, "Geo pooling").
  const controlForms = (controlSpread: number): PoolingKind[] =>
    [5, 10, 20].flatMap((geos) =>
      Array.from({ length: 25 }, (_, i) => {
        const spec = { id: `spread-${controlSpread}`, seed: 1000 * geos + i + 1, geos, mediaSpread: 0.1, controlSpread };
        const { panel, config } = generateSpreadPanel(spec);
        return createMmmModel(panel, config).data.pooling.controls;
      }).flat(),
    );

  it('tells a control spread of 0.15 from none when media carry most of the variance', () => {
    const spread = controlForms(0.15);
    const none = controlForms(0);
    expect(spread.filter((kind) => kind === 'centred').length / spread.length).toBeGreaterThanOrEqual(0.9);
    expect(none.filter((kind) => kind === 'non_centred').length / none.length).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('follows the config when it names a form', () => {
    const { panel, config } = simulateDataset({
      geos: 4,
      weeks: 60,
      channels: 2,
      controls: 2,
      seed: 1,
      noiseSd: 0.3,
      model: { geoPooling: 'centred' },
    });
    expect(createMmmModel(panel, config).data.pooling).toEqual({ trend: 'centred', controls: ['centred', 'centred'] });
  });
});
