/**
 * Reads CSV text with csv-parse: RFC 4180 quoting (delimiters, doubled quotes and line breaks inside
 * quoted fields), CRLF, LF or CR line ends, an optional UTF-8 byte-order mark, and a delimiter that is
 * given, named by Excel's "sep=;" first line, or detected from the header. The first record is the
 * header. Each record keeps the 1-based line it starts on so that data errors point at the line a user
 * sees in an editor.
 */
import { CsvError, parse } from 'csv-parse/sync';

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRecord[];
  /** The field delimiter the table was read with. */
  delimiter: string;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${source}: line ${line}: ${detail}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Delimiters tried when none is given, in order of preference when they split the header equally. */
export const DETECTED_DELIMITERS = [',', ';', '\t', '|'] as const;

/** What a csv-parse error means to someone editing the file. */
const SYNTAX_DETAILS: Partial<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'unexpected text after a closing quote; expected the delimiter or a line end',
  INVALID_OPENING_QUOTE: 'quote inside an unquoted field; quote the whole field and double the inner quote',
};

/** Line breaks in a field (only quoted fields have any). */
function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** The fields of the first record under `delimiter`, 0 when it does not parse. */
function headerWidth(text: string, delimiter: string): number {
  try {
    const [first] = parse(text, { delimiter, to: 1, skip_empty_lines: true, relax_column_count: true }) as string[][];
    return first?.length ?? 0;
  } catch {
    return 0;
  }
}

/** The candidate delimiter that splits the header into the most fields (a comma when none splits it). */
export function detectDelimiter(text: string): string {
  let best: string = DETECTED_DELIMITERS[0];
  let bestWidth = 1;
  for (const delimiter of DETECTED_DELIMITERS) {
    const width = headerWidth(text, delimiter);
    if (width > bestWidth) [best, bestWidth] = [delimiter, width];
  }
  return best;
}

/**
 * Parses CSV text. Fields are returned verbatim (no trimming, no type conversion; line breaks inside
 * quoted fields become LF). Blank lines and lines of empty fields are skipped, so trailing line
 * breaks or spreadsheet filler rows do not create records; records are not required to have as many
 * fields as the header (the caller decides).
 */
export function parseCsv(text: string, source: string, options: { delimiter?: string } = {}): CsvTable {
  // One line-end convention, so that csv-parse's line count is the editor's line count.
  const body = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  // Excel starts a CSV with "sep=;" when its delimiter is not the locale's list separator.
  const excelHint = /^sep=(.)\n/.exec(body);
  const delimiter = options.delimiter ?? excelHint?.[1] ?? detectDelimiter(body);
  let lastRecordEnd = excelHint === null ? 0 : 1;
  let parsed: { info: { lines: number }; record: string[] }[];
  try {
    parsed = parse(body, {
      delimiter,
      from_line: lastRecordEnd + 1,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (record, context) => {
        lastRecordEnd = context.lines;
        return record;
      },
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const detail = SYNTAX_DETAILS[error.code] ?? error.message;
    // An unclosed quote runs to the end of the file; the record it belongs to starts after the last complete one.
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? lastRecordEnd +
          1 +
          body
            .split('\n')
            .slice(lastRecordEnd)
            .findIndex((l) => l.trim() !== '')
        : Number(error.lines);
    throw new CsvSyntaxError(source, line, detail);
  }
  // csv-parse counts lines up to the end of a record; a record starts as many lines earlier as its fields break.
  const records = parsed.map(({ info, record }): CsvRecord => ({
    line: info.lines - record.reduce((sum, cell) => sum + lineBreaks(cell), 0),
    cells: record,
  }));
  const [header, ...rows] = records;
  if (header === undefined) throw new CsvSyntaxError(source, 1, 'the file is empty; expected a header row');
  return { header: header.cells, rows, delimiter };
}
