import { describe, expect, it } from 'vitest';
import { channelEvidence, EVIDENCE_THRESHOLD, NOT_INFORMED_LABEL } from '../../src/analysis/evidence.ts';
import { createRng } from '../../src/math/rng.ts';

const normalDraws = (n: number, mean: number, sd: number, seed: number) => {
  const rng = createRng(seed, 0);
  return Float64Array.from({ length: n }, () => mean + sd * rng.normal());
};

describe('channel evidence', () => {
  it('is 1 - posterior sd / prior sd of log ROI, and the shift in prior sds', () => {
    const evidence = channelEvidence(normalDraws(20_000, 0.2, 0.9, 1), normalDraws(20_000, 0.65, 0.45, 2));
    expect(evidence.contraction).toBeCloseTo(0.5, 1.5);
    expect(evidence.shift).toBeCloseTo(0.5, 1.5);
    expect(evidence).toMatchObject({ informed: true, label: 'informed by the data' });
  });

  it('labels a posterior that is the prior "not informed by the data"', () => {
    const evidence = channelEvidence(normalDraws(4000, 0.2, 0.9, 3), normalDraws(4000, 0.2, 0.9, 4));
    expect(Math.abs(evidence.contraction)).toBeLessThan(EVIDENCE_THRESHOLD);
    expect(evidence).toMatchObject({ informed: false, label: NOT_INFORMED_LABEL });
  });
});
