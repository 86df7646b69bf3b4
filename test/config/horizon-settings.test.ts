/** The config's `plan` section: defaults, and a horizon past 52 weeks refused with the value named. */
import { describe, expect, it } from 'vitest';
import { horizonSettingsSchema } from '../../src/config/horizon-settings.ts';
import { mmmConfigSchema } from '../../src/config/schema.ts';

const data = { date: 'week', kpi: 'sales', channels: [{ name: 'tv', spend: 'tv' }] };

describe('horizon settings', () => {
  it('default to 13 weeks of even flighting, the last slope continued, carry-over past the end not counted', () => {
    expect(mmmConfigSchema.parse({ data }).plan).toEqual({
      weeks: 13,
      flighting: 'even',
      channelFlighting: {},
      trend: 'last-slope',
      countCarryover: false,
      costPerUnit: {},
    });
  });

  it('refuse a horizon past 52 weeks, naming it, and unknown flighting kinds', () => {
    const result = horizonSettingsSchema.safeParse({ weeks: 53 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(
      'a horizon of 53 weeks is past what the data can support (at most 52: the seasonal pattern and trend would be extrapolated beyond a year)',
    );
    expect(horizonSettingsSchema.safeParse({ weeks: 52 }).success).toBe(true);
    expect(horizonSettingsSchema.safeParse({ channelFlighting: { tv: 'burst' } }).success).toBe(false);
    expect(() => mmmConfigSchema.parse({ data, plan: { weeks: 60 } })).toThrow('a horizon of 60 weeks');
  });
});
