import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../src/data/csv.ts';

describe('parseCsv', () => {
  it('splits a plain header and rows, numbering records by line', () => {
    expect(parseCsv('a,b,c\n1,2,3\n4,5,6\n', 't.csv')).toEqual({
      header: ['a', 'b', 'c'],
      rows: [{ line: 2, cells: ['1', '2', '3'] }, { line: 3, cells: ['4', '5', '6'] }],
    });
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and counts the lines they span', () => {
    const table = parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\nnext,"x"\n', 't.csv');
    expect(table.rows).toEqual([
      { line: 2, cells: ['Smith, J', 'said "hi"\nthen left'] },
      { line: 4, cells: ['next', 'x'] },
    ]);
  });

  it('reads CRLF line ends, strips a byte-order mark and keeps empty fields', () => {
    const table = parseCsv('\uFEFFa,b\r\n1,\r\n,"2\r\n3"\r\n', 't.csv');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([{ line: 2, cells: ['1', ''] }, { line: 3, cells: ['', '2\r\n3'] }]);
  });

  it('reads an empty first header name and a last line without a line break', () => {
    expect(parseCsv(',geo\n0,Geo0', 't.csv')).toEqual({ header: ['', 'geo'], rows: [{ line: 2, cells: ['0', 'Geo0'] }] });
  });

  it('skips blank lines without shifting the line numbers of later records', () => {
    expect(parseCsv('a\n\n1\n\n\n2\n\n', 't.csv').rows).toEqual([{ line: 3, cells: ['1'] }, { line: 6, cells: ['2'] }]);
  });

  it('returns rows of any width for the caller to check', () => {
    expect(parseCsv('a,b\n1\n1,2,3\n', 't.csv').rows.map((row) => row.cells.length)).toEqual([1, 3]);
  });

  it('rejects a quoted field that is never closed, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"open\nstill open\n', 'bad.csv'))
      .toThrow(new CsvSyntaxError('bad.csv', 3, 'quoted field is never closed'));
  });

  it('rejects text after a closing quote and a quote inside an unquoted field', () => {
    expect(() => parseCsv('a\n"x"y\n', 'bad.csv')).toThrow("bad.csv: line 2: unexpected 'y' after a closing quote");
    expect(() => parseCsv('a\n\nab"c\n', 'bad.csv')).toThrow("bad.csv: line 3: quote inside an unquoted field (after 'ab')");
  });

  it('rejects an empty file', () => {
    expect(() => parseCsv('\uFEFF\n\n', 'empty.csv')).toThrow('empty.csv: line 1: the file is empty; expected a header row');
  });
});
