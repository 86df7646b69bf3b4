/**
 * `mmm fit --experiments FILE` through the real binary (issue 17): a bad experiments file is refused with its
 * row named and nothing written; a good one calibrates the fit, whose summary.json and table show each test
 * beside the model's implied incremental outcome, and every channel's evidence.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitSummarySchema } from '../../src/run/fit-summary.ts';
import { syntheticRows } from '../fixtures/data/synthetic-csv.ts';
import { runMmm } from '../support/run-mmm.ts';
import { WEEKS, writeInputs } from './cli-harness.ts';

const HEADER = 'experiment_id,channel,geo,start,end,incremental_outcome,standard_error,spend';
const date = (t: number) => syntheticRows(WEEKS)[t].date;
/** TV spend of weeks a..b of the synthetic national data (1 + 5t mod 13). */
const tvSpend = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => 1 + ((5 * (a + k)) % 13)).reduce((x, y) => x + y, 0);

describe('mmm fit --experiments', { timeout: 300_000 }, () => {
  it('refuses a file with a non-positive standard error, naming the row, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-fit-experiments-'));
    const inputs = writeInputs(dir);
    const experiments = join(dir, 'experiments.csv');
    writeFileSync(
      experiments,
      `${HEADER}\ntv,TV,,${date(10)},${date(15)},12,3,${tvSpend(10, 15)}\nbad,TV,,${date(3)},${date(4)},2,0,${tvSpend(3, 4)}\n`,
    );
    const out = join(dir, 'out');
    const result = await runMmm(['fit', '--data', inputs.data, '--config', inputs.config, '--experiments', experiments, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/experiments\.csv: 1 problem/);
    expect(result.stderr).toMatch(/column 'standard_error', row 3/);
    expect(existsSync(out)).toBe(false);
  });

  it('fits with the tests and reports them beside the implied outcome, with the evidence per channel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-fit-experiments-'));
    const inputs = writeInputs(dir);
    const experiments = join(dir, 'experiments.csv');
    writeFileSync(experiments, `${HEADER}\ntv-holdout,TV,,${date(10)},${date(15)},12,3,${tvSpend(10, 15)}\n`);
    const out = join(dir, 'out');
    const result = await runMmm(['fit', '--data', inputs.data, '--config', inputs.config, '--experiments', experiments, '--out', out]);
    expect(result.stderr).toMatch(/experiments\.csv: 1 experiment \(tv-holdout\)/);
    expect(result.stdout).toMatch(/Experiments \(estimate ± standard error/);
    expect(result.stdout).toMatch(/tv-holdout\s+TV/);
    expect(result.stdout).toMatch(/evidence/);
    const summary = fitSummarySchema.parse(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(summary.experiments).toEqual([
      { id: 'tv-holdout', channel: 'TV', estimate: 12, standardError: 3, implied: expect.objectContaining({ mean: expect.any(Number) }) },
    ]);
    for (const channel of summary.channels) {
      expect(channel.evidence?.contraction).toBeLessThan(1);
      expect(channel.evidence?.label).toMatch(/informed by the data/);
    }
  });
});
