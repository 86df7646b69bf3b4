/**
 * `mmm init` through the real CLI binary, on a marketer-style daily export (Week, Sales, "Google Ads
 * Spend", "Meta Spend", "TV GRPs", "TV Cost", a price index, holidays) with US dates, thousands
 * separators, currency symbols and spaces in the column names; then `mmm fit` on the written config.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { GUESSED_MARKETER_COLUMNS, marketerRows, renderCsv, type CsvShape } from '../data/support/marketer-csv.ts';
import { runMmm as mmm } from '../support/run-mmm.ts';

const US_DOLLARS: CsvShape = {
  delimiter: ',',
  numbers: { decimal: '.', thousands: ',', currency: { symbol: '$', position: 'before' } },
  dates: 'MM/DD/YYYY',
};

describe('mmm init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-init-'));
  const data = join(dir, 'export.csv');
  // Wednesday 2024-01-03 on: 5 days before the first whole week, then 30 whole weeks, then 2 days.
  writeFileSync(data, renderCsv(marketerRows(5 + 7 * 30 + 2, '2024-01-03', 1), US_DOLLARS));
  const out = join(dir, 'config.json');

  it('writes a config guessed from the header and values, printing each guess and why', async () => {
    const result = await mmm(['init', '--data', data, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `Read ${data}: 217 rows; delimiter ',' (detected), decimal '.' (detected), dates MM/DD/YYYY (detected), daily rows (detected)`,
    );
    expect(result.stdout).toMatch(/date +'Week' +every value reads as MM\/DD\/YYYY; daily rows/);
    expect(result.stdout).toMatch(/kpi +'Sales' +the name says 'sales'; revenue/);
    expect(result.stdout).toMatch(/channel +tv +spend 'TV Cost', media 'TV GRPs'/);
    expect(result.stdout).toMatch(/control +'Price Index' +numeric, and not the KPI, spend or media/);
    expect(result.stdout).toMatch(/left out +'Notes' +not numeric/);
    expect(result.stdout).toContain("The data passes the checks of 'mmm fit': 30 weeks, 3 channels, 2 controls.");
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toEqual({
      data: {
        ...GUESSED_MARKETER_COLUMNS,
        csv: { delimiter: ',', decimal: '.' },
        dateFormat: 'MM/DD/YYYY',
        frequency: 'daily',
      },
    });
    // Knots are left to the model's default.
    expect(loadConfig(out).model.knots).toBeUndefined();
  }, 120_000);

  it('the written config fits', async () => {
    const run = join(dir, 'run');
    const result = await mmm(['fit', '--data', data, '--config', out, '--out', run, '--chains', '1', '--warmup', '30', '--draws', '30']);
    expect(result.stderr).toContain('dropped the partial week starting 2024-01-01 (5 of 7 days, 2024-01-03 to 2024-01-07)');
    expect(result.stderr).not.toMatch(/DataValidationError|ConfigError/);
    expect(result.status === 0 || result.status === 3).toBe(true);
    expect(existsSync(join(run, 'summary.json'))).toBe(true);
  }, 180_000);

  it('refuses to overwrite the config without --force, and overwrites with it', async () => {
    writeFileSync(out, '{"edited": true}\n');
    const refused = await mmm(['init', '--data', data, '--out', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`mmm init: ${out} already exists; pass --force to overwrite it`);
    expect(readFileSync(out, 'utf8')).toBe('{"edited": true}\n');
    const forced = await mmm(['init', '--data', data, '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).data.kpi).toBe('Sales');
  }, 120_000);

  it('refuses ambiguous dates once, with both readings and the config key, and writes nothing', async () => {
    const ambiguous = join(dir, 'ambiguous.csv');
    writeFileSync(ambiguous, renderCsv(marketerRows(2), { ...US_DOLLARS, dates: 'DD/MM/YYYY' }));
    const target = join(dir, 'ambiguous.json');
    const result = await mmm(['init', '--data', ambiguous, '--out', target]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `${ambiguous}: 1 problem:\n  - column 'Week', row 3: every date reads both as MM/DD/YYYY and as DD/MM/YYYY: ` +
        '\'08/01/2024\' is 2024-08-01 as MM/DD/YYYY but 2024-01-08 as DD/MM/YYYY; set data.dateFormat to "MM/DD/YYYY" or "DD/MM/YYYY"',
    );
    expect(existsSync(target)).toBe(false);
  }, 120_000);

  it('requires --data and --out', async () => {
    const result = await mmm(['init', '--data', data]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('mmm init: --data and --out are required');
  }, 120_000);
});
