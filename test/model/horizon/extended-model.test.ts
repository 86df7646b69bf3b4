/**
 * The model extended by future weeks keeps the training constants: the data's periods are unchanged bit for
 * bit, the future ones are scaled with the training scaling, the trend continues the last knot segment's
 * slope (or stays flat), seasonality is evaluated at the future dates.
 */
import { describe, expect, it } from 'vitest';
import { horizonSettingsSchema } from '../../../src/config/horizon-settings.ts';
import { extendModel, extendPanel } from '../../../src/model/horizon/extended-model.ts';
import { futureWeeks } from '../../../src/model/horizon/future-weeks.ts';
import { createMmmModel } from '../../../src/model/model.ts';
import { buildModelData, timeBasisRows } from '../../../src/model/model-data.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';

const { panel, config } = simulateDataset({
  geos: 1,
  weeks: 130,
  channels: 2,
  controls: 1,
  seed: 11,
  noiseSd: 0.3,
  model: { knots: 3, holdoutWeeks: 6 },
});
const T = panel.dates.length;
const fitted = createMmmModel(panel, config);
const settings = horizonSettingsSchema.parse({ weeks: 13 });
const future = futureWeeks(panel, config, { settings });

describe('extendModel', () => {
  const { model, dataPeriods } = extendModel(fitted, panel, future, 'last-slope');
  const data = model.data;
  const training = fitted.data;

  it("keeps every array of the data's periods and every training constant", () => {
    expect(dataPeriods).toBe(T);
    expect(data.T).toBe(T + 13);
    expect(data.tFit).toBe(training.tFit);
    expect(data.scaling).toBe(training.scaling);
    expect(data.pooling).toBe(training.pooling);
    expect(data.channels).toBe(training.channels);
    const { nTime, C, K } = data;
    expect([...data.timeBasis.subarray(0, T * nTime)]).toEqual([...training.timeBasis]);
    expect([...data.controls.subarray(0, T * K)]).toEqual([...training.controls]);
    expect([...data.outcomeScale.subarray(0, T)]).toEqual([...training.outcomeScale]);
    for (let c = 0; c < C; c++)
      expect([...data.media.subarray(c * data.T, c * data.T + T)]).toEqual([...training.media.subarray(c * T, (c + 1) * T)]);
    expect(data.y.subarray(T).every(Number.isNaN)).toBe(true);
  });

  it('scales the future with the training constants', () => {
    const { mediaMedian, controlMean, controlSd } = training.scaling;
    for (let j = 0; j < 13; j++) {
      expect(data.media[T + j]).toBe(future.media[j * 2] / mediaMedian[0]);
      expect(data.controls[T + j]).toBe((future.controls[j] - controlMean[0]) / controlSd[0]);
    }
  });

  it("continues the last knot segment's slope from the data's last week, or holds it flat", () => {
    // The trend columns at period t, as a function of t: linear within the last segment, continued past the data.
    const rows = timeBasisRows(T + 13, training.tFit, training.nKnots, training.model, { dataPeriods: T, trend: 'last-slope' });
    const flat = timeBasisRows(T + 13, training.tFit, training.nKnots, training.model, { dataPeriods: T, trend: 'flat' });
    const { nTime, nTrend, tFit } = training;
    expect(nTrend).toBe(2);
    for (let m = 0; m < nTrend; m++) {
      const slope = rows[(tFit - 1) * nTime + m] - rows[(tFit - 2) * nTime + m];
      // The holdout (tFit..T-1) keeps the last knot's value, then the future moves on by one slope per week.
      expect(rows[(T - 1) * nTime + m]).toBe(rows[(tFit - 1) * nTime + m]);
      for (let j = 0; j < 13; j++) {
        expect(rows[(T + j) * nTime + m]).toBeCloseTo(rows[(tFit - 1) * nTime + m] + (j + 1) * slope, 12);
        expect(flat[(T + j) * nTime + m]).toBe(rows[(tFit - 1) * nTime + m]);
      }
    }
    // Seasonal columns do not depend on the trend continuation and equal a longer training basis' rows.
    const longer = buildModelData(extendPanel(panel, future), { ...config, model: { ...config.model, holdoutWeeks: 6 + 13 } });
    expect(longer.tFit).toBe(tFit);
    for (let t = T; t < T + 13; t++) {
      for (let j = nTrend; j < nTime; j++) expect(rows[t * nTime + j]).toBe(longer.timeBasis[t * nTime + j]);
    }
  });
});
