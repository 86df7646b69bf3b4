/** The horizon's future weeks: flighting, default budgets, cost per media unit, seasonal averages, carry-over weeks and refusals. */
import { describe, expect, it } from 'vitest';
import { horizonSettingsSchema, type HorizonSettingsInput } from '../../../src/config/horizon-settings.ts';
import { mmmConfigSchema } from '../../../src/config/schema.ts';
import type { Panel } from '../../../src/data/panel.ts';
import { futureWeeks, HorizonError, seasonalAverage, weeksAfter } from '../../../src/model/horizon/future-weeks.ts';
import { simulateDataset } from '../../../src/model/simulate.ts';

const { panel: simulated, config: simulatedConfig } = simulateDataset({
  geos: 1,
  weeks: 120,
  channels: 2,
  controls: 1,
  seed: 7,
  noiseSd: 0.3,
});
const T = simulated.dates.length;
const C = 2;
const settings = (input: HorizonSettingsInput = {}) => horizonSettingsSchema.parse(input);

/** The simulated panel with channel 1 modelled on media units bought at 4 per unit over the last 13 weeks (2 before). */
function withMediaChannel(): { panel: Panel; config: typeof simulatedConfig } {
  const media = Float64Array.from(simulated.spend, (v, i) => v / (Math.floor(i / C) >= T - 13 ? 4 : 2));
  for (let i = 0; i < media.length; i += C) media[i] = simulated.spend[i];
  const config = mmmConfigSchema.parse({
    ...simulatedConfig,
    data: {
      ...simulatedConfig.data,
      channels: simulatedConfig.data.channels.map((c, i) => (i === 1 ? { ...c, media: `${c.name}_units` } : c)),
    },
  });
  return { panel: { ...simulated, media }, config };
}

describe('futureWeeks', () => {
  it('spreads the run rate of the last 52 weeks evenly over 13 weeks after the data by default', () => {
    const future = futureWeeks(simulated, simulatedConfig, { settings: settings() });
    expect(future.dates).toEqual(weeksAfter(simulated, 13));
    expect(future.dates[0]).toBe(new Date(Date.parse(simulated.dates[T - 1]) + 7 * 86400000).toISOString().slice(0, 10));
    for (let c = 0; c < C; c++) {
      let lastYear = 0;
      for (let t = T - 52; t < T; t++) lastYear += simulated.spend[t * C + c];
      for (let j = 0; j < 13; j++) expect(future.spend[j * C + c]).toBeCloseTo(lastYear / 52, 9);
    }
    expect([...future.media]).toEqual([...future.spend]);
    expect(future.statements[0]).toBe(`horizon: 13 weeks, ${future.dates[0]}..${future.dates[12]}; carry-over past its end is not counted`);
    expect(future.statements).toContain("trend: the last knot segment's slope continued");
  });

  it('controls default to the mean of the same weeks in every earlier year', () => {
    const future = futureWeeks(simulated, simulatedConfig, { settings: settings({ weeks: 20 }) });
    for (const j of [0, 7, 19]) {
      const t1 = T + j - 52;
      const t2 = T + j - 104;
      const expected = t2 >= 0 ? (simulated.controls[t1] + simulated.controls[t2]) / 2 : simulated.controls[t1];
      expect(future.controls[j]).toBeCloseTo(expected, 12);
    }
    expect(seasonalAverage((t) => t, 10, 0)).toBe(4.5);
    expect(future.statements.some((s) => s.startsWith('controls (') && s.includes('seasonal average'))).toBe(true);
  });

  it('follows custom spend, and uses the plan file controls when given', () => {
    const [first, second] = simulated.channels;
    const planSpend = {
      spendSource: 'the plan spend file',
      spend: new Map([
        [first, Float64Array.from([5, 0, 7])],
        [second, Float64Array.from([1, 2, 3])],
      ]),
      media: new Map(),
      controls: Float64Array.from([9, 8, 7]),
      revenuePerKpi: null,
    };
    const future = futureWeeks(simulated, simulatedConfig, { settings: settings({ weeks: 3, flighting: 'custom' }), planSpend });
    expect([...future.spend]).toEqual([5, 1, 0, 2, 7, 3]);
    expect([...future.controls]).toEqual([9, 8, 7]);
  });

  it('appends maxLag weeks without spend under countCarryover, with seasonal controls', () => {
    const future = futureWeeks(simulated, simulatedConfig, { settings: settings({ weeks: 5, countCarryover: true }) });
    const maxLag = simulatedConfig.model.maxLag;
    expect(future.dates).toHaveLength(5 + maxLag);
    expect(future.planWeeks).toBe(5);
    expect(future.spend.subarray(5 * C).every((v) => v === 0)).toBe(true);
    expect(future.controls[5 + maxLag - 1]).toBeCloseTo(
      seasonalAverage((t) => simulated.controls[t], T, 5 + maxLag - 1),
      12,
    );
  });

  it("buys media units at the channel's recent cost per unit, or the one given", () => {
    const { panel, config } = withMediaChannel();
    const recent = futureWeeks(panel, config, { settings: settings() });
    expect(recent.costPerUnit).toEqual([null, 4]);
    for (let j = 0; j < 13; j++) expect(recent.media[j * C + 1]).toBeCloseTo(recent.spend[j * C + 1] / 4, 9);
    const given = futureWeeks(panel, config, { settings: settings({ costPerUnit: { [panel.channels[1]]: 5 } }) });
    expect(given.media[1]).toBeCloseTo(given.spend[1] / 5, 9);
    expect(() => futureWeeks(panel, config, { settings: settings({ costPerUnit: { [panel.channels[0]]: 5 } }) })).toThrow(
      `plan.costPerUnit names channel '${panel.channels[0]}', which is modelled on spend (no media column)`,
    );
  });

  it('refuses unknown channels, zero budgets and geo data, naming them', () => {
    expect(() => futureWeeks(simulated, simulatedConfig, { settings: settings({ channelFlighting: { radio: 'even' } }) })).toThrow(
      HorizonError,
    );
    expect(() => futureWeeks(simulated, simulatedConfig, { settings: settings(), budgets: { radio: 5 } })).toThrow(
      "the plan budget names channel 'radio', which the model does not have",
    );
    expect(() => futureWeeks(simulated, simulatedConfig, { settings: settings(), budgets: { [simulated.channels[0]]: 0 } })).toThrow(
      `channel '${simulated.channels[0]}' has a horizon budget of 0`,
    );
    const geo = simulateDataset({ geos: 2, weeks: 60, channels: 1, controls: 0, seed: 1, noiseSd: 0.3 });
    expect(() => futureWeeks(geo.panel, geo.config, { settings: settings() })).toThrow('a plan horizon is national only');
  });
});
