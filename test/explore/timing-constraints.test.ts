import { describe, expect, it } from 'vitest';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { resolveWeeklyBounds } from '../../src/explore/timing-constraints.ts';

const weeks = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22'];

describe('resolveWeeklyBounds', () => {
  it('turns blanket and per-week bounds and dark weeks into per-week bounds; a blanket minimum skips dark weeks', () => {
    const bounds = resolveWeeklyBounds(weeks, {
      channel: 'tv',
      budget: 100,
      minPerWeek: 5,
      maxPerWeek: { '2024-01-08': 40 },
      darkWeeks: ['2024-01-22'],
    });
    expect([...bounds.lower]).toEqual([5, 5, 5, 0]);
    expect([...bounds.upper]).toEqual([Infinity, 40, Infinity, 0]);
    expect(bounds.dark).toEqual([false, false, false, true]);
    expect(bounds.budget).toBe(100);
    const open = resolveWeeklyBounds(weeks, { channel: 'tv', budget: 0 });
    expect([...open.lower]).toEqual([0, 0, 0, 0]);
    expect([...open.upper]).toEqual([Infinity, Infinity, Infinity, Infinity]);
  });

  it('refuses minimums above the budget, naming the weeks that bind', () => {
    const refuse = () => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 10, minPerWeek: { '2024-01-01': 6, '2024-01-15': 6 } });
    expect(refuse).toThrow(InfeasibleConstraintError);
    expect(refuse).toThrow("channel 'tv': budget 10 is below the 12 the weekly minimums require: 2024-01-01: min 6; 2024-01-15: min 6");
  });

  it('refuses maximums below the budget, naming every week with its maximum or as dark', () => {
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 100, maxPerWeek: 30, darkWeeks: ['2024-01-08'] })).toThrow(
      "channel 'tv': budget 100 exceeds the 90 the weekly maximums allow: 2024-01-01: max 30; 2024-01-08: dark; 2024-01-15: max 30; 2024-01-22: max 30",
    );
  });

  it('refuses a window with every week dark', () => {
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 0, darkWeeks: weeks })).toThrow(
      "channel 'tv': every week of the window is dark: dark weeks 2024-01-01..2024-01-22",
    );
  });

  it('refuses a week outside the window, a dark week with its own minimum, and a minimum above a maximum', () => {
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 10, darkWeeks: ['2024-02-05'] })).toThrow(
      "channel 'tv': a dark week names week 2024-02-05, which is not a week of the window: weeks 2024-01-01..2024-01-22",
    );
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 10, maxPerWeek: { '2023-12-25': 3 } })).toThrow(
      'the weekly maximum names week 2023-12-25',
    );
    expect(() =>
      resolveWeeklyBounds(weeks, { channel: 'tv', budget: 10, minPerWeek: { '2024-01-08': 2 }, darkWeeks: ['2024-01-08'] }),
    ).toThrow("channel 'tv': week 2024-01-08 is dark but has a minimum: 2024-01-08: min 2");
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 10, minPerWeek: 3, maxPerWeek: { '2024-01-15': 2 } })).toThrow(
      "channel 'tv': week 2024-01-15 has its minimum above its maximum: 2024-01-15: min 3; 2024-01-15: max 2",
    );
  });

  it('refuses a negative budget or bound at the schema', () => {
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: -1 })).toThrow();
    expect(() => resolveWeeklyBounds(weeks, { channel: 'tv', budget: 1, maxPerWeek: -2 })).toThrow();
  });
});
