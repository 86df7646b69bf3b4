import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, parseCsv } from '../../src/data/csv.ts';

describe('parseCsv', () => {
  it('splits a plain header and rows, numbering records by line', () => {
    expect(parseCsv('a,b,c\n1,2,3\n4,5,6\n', 't.csv')).toEqual({
      header: ['a', 'b', 'c'],
      rows: [
        { line: 2, cells: ['1', '2', '3'] },
        { line: 3, cells: ['4', '5', '6'] },
      ],
      delimiter: ',',
    });
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields, and counts the lines they span', () => {
    const table = parseCsv('name,note\n"Smith, J","said ""hi""\nthen left"\nnext,"x"\n', 't.csv');
    expect(table.rows).toEqual([
      { line: 2, cells: ['Smith, J', 'said "hi"\nthen left'] },
      { line: 4, cells: ['next', 'x'] },
    ]);
  });

  it('reads CRLF and CR line ends, strips a byte-order mark and keeps empty fields', () => {
    const table = parseCsv('\uFEFFa,b\r\n1,\r\n,"2\r\n3"\r\n4,5', 't.csv');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', ''] },
      { line: 3, cells: ['', '2\n3'] },
      { line: 5, cells: ['4', '5'] },
    ]);
    expect(parseCsv('a,b\r1,2\r3,4\r', 't.csv').rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: ['3', '4'] },
    ]);
  });

  it('reads an empty first header name and a last line without a line break', () => {
    expect(parseCsv(',geo\n0,Geo0', 't.csv')).toEqual({ header: ['', 'geo'], rows: [{ line: 2, cells: ['0', 'Geo0'] }], delimiter: ',' });
  });

  it('skips blank lines and rows of empty fields without shifting the line numbers of later records', () => {
    expect(parseCsv('a\n\n1\n\n\n2\n\n', 't.csv').rows).toEqual([
      { line: 3, cells: ['1'] },
      { line: 6, cells: ['2'] },
    ]);
    expect(parseCsv('a,b\n1,2\n,\n3,4\n,\n', 't.csv').rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('returns rows of any width for the caller to check', () => {
    expect(parseCsv('a,b\n1\n1,2,3\n', 't.csv').rows.map((row) => row.cells.length)).toEqual([1, 3]);
  });

  it("takes the delimiter from Excel's 'sep=' first line, keeping line numbers", () => {
    expect(parseCsv('sep=;\r\na;b,c\r\n1;2,5\r\n', 't.csv')).toEqual({
      header: ['a', 'b,c'],
      rows: [{ line: 3, cells: ['1', '2,5'] }],
      delimiter: ';',
    });
  });

  it('uses a stated delimiter as given', () => {
    expect(parseCsv('a;b|c\n1;2|3\n', 't.csv', { delimiter: '|' }).header).toEqual(['a;b', 'c']);
  });

  it('rejects a quoted field that is never closed, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,2\n\n3,"open\nstill open\n', 'bad.csv')).toThrow(
      new CsvSyntaxError('bad.csv', 4, 'quoted field is never closed'),
    );
  });

  it('rejects text after a closing quote and a quote inside an unquoted field', () => {
    expect(() => parseCsv('a\n"x"y\n', 'bad.csv')).toThrow('bad.csv: line 2: unexpected text after a closing quote');
    expect(() => parseCsv('a\n\nab"c\n', 'bad.csv')).toThrow('bad.csv: line 3: quote inside an unquoted field');
  });

  it('rejects an empty file', () => {
    expect(() => parseCsv('\uFEFF\n\n', 'empty.csv')).toThrow('empty.csv: line 1: the file is empty; expected a header row');
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['comma', 'date,sales,tv\n2024-01-01,"1,5",3\n', ','],
    ['semicolon with decimal commas', 'date;sales;tv\n2024-01-01;1,5;3\n', ';'],
    ['tab', 'date\tsales\ttv\n2024-01-01\t1,5\t3\n', '\t'],
    ['pipe', 'date|sales|tv\n', '|'],
    ['a quoted header name holding another candidate', '"Spend; TV",date,sales\n', ','],
    ['a single column', 'sales\n1\n', ','],
  ])('%s', (_, text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});
