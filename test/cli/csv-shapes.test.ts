/**
 * CSV shapes through the real CLI binary: `mmm fit` reads a ';'-delimited, decimal-comma, day-first
 * export and a daily US-dated one, printing how it read them; an ambiguous file is refused once and
 * nothing is written. (The full table of shapes is test/data/csv-shapes.test.ts.)
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketerConfig, marketerRows, renderCsv, type CsvShape } from '../data/support/marketer-csv.ts';
import { runMmm } from '../support/run-mmm.ts';

async function fit(csv: string, data: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-csv-shapes-'));
  writeFileSync(join(dir, 'export.csv'), csv);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(marketerConfig(data)));
  const outDir = join(dir, 'out');
  const result = await runMmm(['fit', '--data', join(dir, 'export.csv'), '--config', join(dir, 'config.json'), '--out', outDir]);
  return { ...result, outDir, csvPath: join(dir, 'export.csv') };
}

const EUROPEAN: CsvShape = {
  delimiter: ';',
  numbers: { decimal: ',', thousands: '.', currency: { symbol: '€', position: 'after-space' } },
  dates: 'DD.MM.YYYY',
  bom: true,
  crlf: true,
};
const US_DAILY: CsvShape = {
  delimiter: ',',
  numbers: { decimal: '.', thousands: ',', currency: { symbol: '$', position: 'before' } },
  dates: 'M/D/YYYY',
};

describe('mmm fit on exported CSV shapes', () => {
  it("reads a ';'-delimited, decimal-comma, DD.MM.YYYY file with a BOM and CRLF", async () => {
    const result = await fit(renderCsv(marketerRows(30), EUROPEAN));
    expect(result.stderr).toContain(
      `${result.csvPath}: delimiter ';' (detected), decimal ',' (detected), dates DD.MM.YYYY (detected), weekly rows (detected)`,
    );
    expect(result.stderr).not.toMatch(/DataValidationError/);
    expect(result.status === 0 || result.status === 3).toBe(true);
    expect(existsSync(join(result.outDir, 'summary.json'))).toBe(true);
  }, 180_000);

  it('sums a daily US-dated file into ISO weeks, dropping the partial edge weeks with a note', async () => {
    const result = await fit(renderCsv(marketerRows(5 + 7 * 30 + 2, '2024-01-03', 1), US_DAILY));
    expect(result.stderr).toContain('217 daily rows summed into 30 weeks starting on mondays');
    expect(result.stderr).toContain('dropped the partial week starting 2024-08-05 (2 of 7 days, 2024-08-05 to 2024-08-06)');
    expect(result.status === 0 || result.status === 3).toBe(true);
    expect(existsSync(join(result.outDir, 'summary.json'))).toBe(true);
  }, 180_000);

  it('refuses ambiguous dates once, naming the value, both readings and data.dateFormat, and writes nothing', async () => {
    const result = await fit(renderCsv(marketerRows(2), { ...EUROPEAN, dates: 'DD/MM/YYYY' }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(': 1 problem:\n');
    expect(result.stderr).toMatch(
      /column 'Week', row 3: every date reads both .*'08\/01\/2024' is 2024-08-01 as MM\/DD\/YYYY but 2024-01-08 as DD\/MM\/YYYY; set data\.dateFormat/,
    );
    expect(existsSync(result.outDir)).toBe(false);
  }, 120_000);
});
