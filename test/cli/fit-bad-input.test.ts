/**
 * Acceptance: `mmm fit` refuses bad input with a message naming the offending column / row / value,
 * and creates no output directory. Runs the real CLI binary as a user would.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_WEEKS, NATIONAL_CONFIG_FILE, syntheticRows, toCsv, type CsvRow } from '../fixtures/data/synthetic-csv.ts';
import { runMmm } from '../support/run-mmm.ts';

const config = { ...NATIONAL_CONFIG_FILE, sampler: { chains: 1, warmup: 20, draws: 20 } };

async function runFit(rows: CsvRow[], header?: string[]): Promise<{ status: number | null; stderr: string; outDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-bad-input-'));
  writeFileSync(join(dir, 'data.csv'), toCsv(rows, header));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const outDir = join(dir, 'out');
  const result = await runMmm(['fit', '--data', join(dir, 'data.csv'), '--config', join(dir, 'config.json'), '--out', outDir]);
  return { status: result.status, stderr: result.stderr, outDir };
}

const weeks = MIN_WEEKS + 6;
const valid = () => syntheticRows(weeks);

interface BadCase {
  label: string;
  rows: () => CsvRow[];
  header?: string[];
  expected: RegExp[];
}

const cases: BadCase[] = [
  {
    label: 'negative spend',
    rows: () => {
      const r = valid();
      r[4].tv = '-3.5';
      return r;
    },
    expected: [/'tv'/, /row 6\b/, /-3\.5/],
  },
  {
    label: 'non-finite spend',
    rows: () => {
      const r = valid();
      r[7].radio = 'Infinity';
      return r;
    },
    expected: [/'radio'/, /row 9\b/, /Infinity/],
  },
  { label: 'missing column', rows: valid, header: ['date', 'sales', 'tv', 'promo'], expected: [/'radio'/, /data\.channels\[1\]\.spend/] },
  {
    label: 'duplicate date',
    rows: () => {
      const r = valid();
      r.splice(5, 0, { ...r[5] });
      return r;
    },
    expected: [/'date'/, /rows 7 and 8/, /2021-02-08/],
  },
  {
    label: 'unparseable date',
    rows: () => {
      const r = valid();
      r[3].date = '2021-13-45';
      return r;
    },
    expected: [/'date'/, /row 5\b/, /2021-13-45/],
  },
  {
    label: 'non-weekly dates',
    rows: () => valid().map((row, t) => ({ ...row, date: new Date(Date.UTC(2021, 0, 4 + 6 * t)).toISOString().slice(0, 10) })),
    expected: [/'date'/, /2021-01-10/, /6 days/],
  },
  {
    label: 'gap of a missing week',
    rows: () => {
      const r = valid();
      r.splice(9, 1);
      return r;
    },
    expected: [/'date'/, /row 11\b/, /2021-03-01/, /14 days/],
  },
  { label: 'constant KPI', rows: () => valid().map((row) => ({ ...row, sales: '100' })), expected: [/'sales'/, /constant/] },
  {
    label: 'channel with zero total spend',
    rows: () => valid().map((row) => ({ ...row, radio: '0' })),
    expected: [/'Radio'/, /'radio'/, /zero/],
  },
  { label: 'too few periods', rows: () => syntheticRows(MIN_WEEKS - 3), expected: [/11\b/, /14\b/, /2 x maxLag \+ 10/] },
];

describe('mmm fit refuses bad input and writes nothing', () => {
  it.each(cases)('$label', async ({ rows, header, expected }) => {
    const { status, stderr, outDir } = await runFit(rows(), header);
    expect(status).toBe(1);
    expect(stderr).toMatch(/DataValidationError/);
    for (const pattern of expected) expect(stderr).toMatch(pattern);
    expect(existsSync(outDir)).toBe(false);
  });

  it('the same data without the defect is accepted (so the cases above fail for their defect)', async () => {
    const { status, stderr, outDir } = await runFit(valid());
    expect(stderr).not.toMatch(/DataValidationError/);
    expect(status === 0 || status === 3).toBe(true);
    expect(existsSync(join(outDir, 'summary.json'))).toBe(true);
  });
});
