/** fitMmm runs the sampler the config's sampler section describes. */
import { describe, expect, it } from 'vitest';
import { fitMmm } from '../../src/fit/fit-mmm.ts';
import { sampleInProcess } from '../../src/inference/sampler.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

describe('fitMmm sampler options', () => {
  const { panel, config } = simulateDataset({ geos: 2, weeks: 40, channels: 2, controls: 1, seed: 3, noiseSd: 0.3 });
  const settings = { chains: 1, warmup: 60, draws: 20, seed: 5 };

  it.each(['auto', 'gradient', 'windowed', 'windowed-dense'] as const)(
    'draws with the %s metric adaptation when the config asks for it',
    async (metricAdaptation) => {
      const fit = await fitMmm(panel, { ...config, sampler: { ...config.sampler, ...settings, metricAdaptation } });
      const model = createMmmModel(panel, config);
      const expected = sampleInProcess(model, { ...settings, targetAccept: config.sampler.targetAccept, metricAdaptation });
      const other = sampleInProcess(model, {
        ...settings,
        targetAccept: config.sampler.targetAccept,
        metricAdaptation: metricAdaptation === 'gradient' ? 'windowed' : 'gradient',
      });
      expect(fit.posterior.theta).toEqual(expected.chains[0].draws);
      expect(fit.posterior.theta).not.toEqual(other.chains[0].draws);
      expect(fit.warmupIterations).toEqual([expected.chains[0].warmupIterations]);
      expect(fit.metric).toEqual({
        kind: expected.chains[0].metric.kind,
        dimension: model.dim,
        ranks: [expected.chains[0].metric.eigenvalues.length],
      });
    },
    60_000,
  );
});
