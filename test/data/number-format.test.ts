import { describe, expect, it } from 'vitest';
import { decimalEvidence, detectDecimal, parseNumber } from '../../src/data/number-format.ts';

describe('parseNumber', () => {
  it.each([
    ['1234.5', '.', 1234.5],
    ['1,234.50', '.', 1234.5],
    ['1,234,567', '.', 1234567],
    ['$1,234.50', '.', 1234.5],
    ['US$12', '.', 12],
    ['CA$ 1,234', '.', 1234],
    ['C$3.5', '.', 3.5],
    ['1,234.50 $', '.', 1234.5],
    ['£ 1 234', '.', 1234],
    ["1'234.5", '.', 1234.5],
    ['1\u00a0234.5', '.', 1234.5],
    ['.5', '.', 0.5],
    ['5.', '.', 5],
    ['+3', '.', 3],
    ['1e3', '.', 1000],
    ['-1e3', '.', -1000],
    ['-$5', '.', -5],
    ['$-5', '.', -5],
    ['- 7', '.', -7],
    ['(1,234.50)', '.', -1234.5],
    ['\u22122.5', '.', -2.5],
    ['1.234,50 €', ',', 1234.5],
    ['€1.234,50', ',', 1234.5],
    ['1 234,50', ',', 1234.5],
    ['1,5', ',', 1.5],
    ['1.234.567', ',', 1234567],
    ['(12,5)', ',', -12.5],
    ['EUR 3,25', ',', 3.25],
    ['  42  ', ',', 42],
  ] as const)('%s with decimal %s is %d', (text, decimal, value) => {
    expect(parseNumber(text, decimal)).toBe(value);
  });

  it.each([
    ['', '.'],
    ['-', '.'],
    ['abc', '.'],
    ['12abc', '.'],
    ['NaN', '.'],
    ['Infinity', '.'],
    ['0x10', '.'],
    ['1.2.3', '.'],
    ['1,23,456', '.'],
    ['1,5', '.'],
    ['1.5', ','],
    ['(-5)', '.'],
    ['1,234.5', ','],
    ['$', '.'],
    ['1 234.5 6', '.'],
  ] as const)('%s with decimal %s is not a number', (text, decimal) => {
    expect(parseNumber(text, decimal)).toBeNaN();
  });
});

describe('decimalEvidence', () => {
  it.each([
    ['1.5', '.'],
    ['1,234.5', '.'],
    ['$0.99', '.'],
    ['1,234,567', '.'],
    ['1,5', ','],
    ['1.234,5', ','],
    ['1.234.567', ','],
    ['1 234,50 €', ','],
    ['1,234', null],
    ['1.234', null],
    ['12', null],
    ['', null],
    ['abc', null],
  ] as const)('%s -> %s', (text, evidence) => {
    expect(decimalEvidence(text)).toBe(evidence);
  });
});

describe('detectDecimal', () => {
  const cells = (...texts: string[]) => texts.map((text, i) => ({ column: i === 0 ? 'a' : 'b', row: i + 2, text }));

  it('takes the separator some cell can only be read with', () => {
    expect(detectDecimal(cells('1,234', '2.5'), ',')).toEqual({ decimal: '.' });
    expect(detectDecimal(cells('1.234', '2,5'), '.')).toEqual({ decimal: ',' });
  });

  it('falls back when no cell tells', () => {
    expect(detectDecimal(cells('1,234', '12'), ',')).toEqual({ decimal: ',' });
    expect(detectDecimal(cells('1,234', '12'), '.')).toEqual({ decimal: '.' });
  });

  it('refuses once, naming a cell of each kind and data.csv.decimal', () => {
    const detection = detectDecimal(cells('1.5', '7', '2,5', '3,5'), '.');
    expect(detection).toEqual({
      issue: {
        column: 'b',
        row: 4,
        value: '2,5',
        message:
          'numbers are written with both decimal separators: ' +
          `'1.5' (column 'a', row 2) reads only with a decimal point, '2,5' only with a decimal comma; set data.csv.decimal to "." or ","`,
      },
    });
  });
});
