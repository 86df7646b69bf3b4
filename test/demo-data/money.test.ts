import { describe, expect, test } from 'vitest';
import { convertCents, formatCents, toCents } from '../../src/demo-data/money.ts';

describe('convertCents: round(local x rate, 2) with halves away from zero, exactly', () => {
  test.each([
    { cents: 1, rate: 500_000, usd: 1 }, // 0.005 USD -> 0.01
    { cents: 3, rate: 500_000, usd: 2 }, // 0.015 -> 0.02
    { cents: 12_345, rate: 757_000, usd: 9345 }, // 93.45165 -> 93.45
    { cents: 10_000, rate: 1_000_000, usd: 10_000 },
    { cents: 99_999_999, rate: 745_123, usd: 74_512_299 }, // 745,122.99254877 -> 745,122.99
  ])('$cents cents at $rate micro-USD -> $usd cents', ({ cents, rate, usd }) => {
    expect(convertCents(cents, rate)).toBe(usd);
  });

  test('refuses negative or fractional cents', () => {
    expect(() => convertCents(-1, 750_000)).toThrow(/non-negative integer cents, got -1/);
    expect(() => convertCents(1.5, 750_000)).toThrow(/got 1.5/);
  });

  test('formats and parses two-decimal amounts', () => {
    expect(formatCents(123_405)).toBe('1234.05');
    expect(formatCents(7)).toBe('0.07');
    expect(toCents(1234.05)).toBe(123_405);
  });
});
