import { describe, expect, test } from 'vitest';
import { holidays, weekday } from '../../src/demo-data/calendars.ts';
import { geometricAdstock, hill } from '../../src/demo-data/response.ts';

describe('holiday calendar', () => {
  const list = holidays(2022, 2024);
  const on = (country: string, name: string, year: number) =>
    list.find((h) => h.country === country && h.name === name && h.date.startsWith(`${year}`))?.date;

  test('rule-based holidays fall on their documented days', () => {
    expect(on('US', 'Thanksgiving Day', 2024)).toBe('2024-11-28');
    expect(on('US', 'Black Friday', 2023)).toBe('2023-11-24');
    expect(on('US', 'Memorial Day', 2022)).toBe('2022-05-30');
    expect(on('US', 'Labor Day', 2023)).toBe('2023-09-04');
    expect(on('CA', 'Victoria Day', 2024)).toBe('2024-05-20');
    expect(on('CA', 'Victoria Day', 2022)).toBe('2022-05-23');
    expect(on('CA', 'Thanksgiving', 2023)).toBe('2023-10-09');
  });

  test('weekday counts from Monday = 0', () => {
    expect(weekday('2022-01-03')).toBe(0);
    expect(weekday('2024-12-29')).toBe(6);
  });
});

describe('generating response', () => {
  test('normalised geometric adstock spreads a pulse over the lag window', () => {
    const norm = 1 + 0.5 + 0.25;
    const out = geometricAdstock([4, 0, 0, 0], 0.5, 3);
    expect(out.map((v) => v * norm)).toEqual([4, 2, 1, 0]);
  });

  test('hill is 0 at 0, 1/2 at ec and rises towards 1', () => {
    expect(hill(0, 1.2, 2)).toBe(0);
    expect(hill(1.2, 1.2, 2)).toBeCloseTo(0.5, 15);
    expect(hill(12, 1.2, 2)).toBeCloseTo(100 / 101, 12);
  });
});
