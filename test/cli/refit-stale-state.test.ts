/**
 * Issue 10, acceptance 4 (stale state): `fit --out R; surface --run R; fit (another config) --out R;
 * optimize --run R` used to answer from the first model's surface, and a failed re-fit left the previous
 * posterior in use. Through the real binary: the re-fit is refused without --force; with --force the old
 * surface is never used (refused until `mmm surface` rebuilds it, and a surface of the old posterior put
 * back is refused with "re-run mmm surface"); the rebuilt answer equals a fresh fit of the new config;
 * a re-fit that fails its diagnostics leaves nothing that surface, explore or optimize will use.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMmm } from '../support/run-mmm.ts';
import { OTHER_CONFIG, snapshotTree, writeInputs } from './cli-harness.ts';

/** A safety bound per step, not a speed target: each step runs several CLI processes, which take up to a minute each on a loaded 2-core machine. */
const STEP_LIMIT = 900_000;

let root: string;
let run: string;
let data: string;
let firstConfig: string;
let otherConfig: string;

/** optimize's JSON answer without the parts that differ per request (the rows' request id and time) or per directory (run id). */
async function optimizeAnswer(dir: string): Promise<Record<string, unknown>> {
  const result = await runMmm(['optimize', '--run', dir, '--json', '-']);
  expect(result.status, result.stderr).toBe(0);
  const { runId: _runId, rows: _rows, evidenceRows: _evidenceRows, ...answer } = JSON.parse(result.stdout) as Record<string, unknown>;
  return answer;
}

async function fitAndSurface(config: string, out: string, ...extra: string[]): Promise<void> {
  const fit = await runMmm(['fit', '--data', data, '--config', config, '--out', out, ...extra]);
  expect(fit.status, fit.stderr).toBe(0);
  const surface = await runMmm(['surface', '--run', out]);
  expect(surface.status, surface.stderr).toBe(0);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mmm-refit-'));
  ({ data, config: firstConfig } = writeInputs(root));
  otherConfig = join(root, 'other.json');
  writeFileSync(otherConfig, JSON.stringify(OTHER_CONFIG));
  run = join(root, 'R');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a re-fit into a run directory refuses or rebuilds, and never answers from the old model', () => {
  let firstAnswer: Record<string, unknown>;
  const firstSurface = () => join(root, 'first-surface');

  it(
    'fit --out R, surface --run R, optimize --run R answers from the first model',
    async () => {
      await fitAndSurface(firstConfig, run);
      firstAnswer = await optimizeAnswer(run);
      cpSync(join(run, 'surface'), firstSurface(), { recursive: true });
    },
    STEP_LIMIT,
  );

  it(
    'fit with another config into R without --force is refused and changes nothing',
    async () => {
      const before = snapshotTree(run);
      const refit = await runMmm(['fit', '--data', data, '--config', otherConfig, '--out', run]);
      expect(refit.status).toBe(2);
      expect(refit.stderr).toContain(`--out ${run} is not empty`);
      expect(refit.stderr).toContain('pass --force');
      expect(snapshotTree(run)).toEqual(before);
      expect(await optimizeAnswer(run)).toEqual(firstAnswer);
    },
    STEP_LIMIT,
  );

  it(
    'fit --force with another config: optimize and explore refuse until the surface is rebuilt',
    async () => {
      const refit = await runMmm(['fit', '--data', data, '--config', otherConfig, '--out', run, '--force']);
      expect(refit.status, refit.stderr).toBe(0);
      expect(existsSync(join(run, 'surface'))).toBe(false);
      for (const args of [
        ['optimize', '--run', run],
        ['explore', '--run', run, '--marginal'],
      ]) {
        const result = await runMmm(args);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain(`${join(run, 'surface')} holds no committed surface`);
        expect(result.stdout).toBe('');
      }
    },
    STEP_LIMIT,
  );

  it(
    'the first model\'s surface put back into R is refused: "re-run mmm surface"',
    async () => {
      cpSync(firstSurface(), join(run, 'surface'), { recursive: true });
      for (const args of [
        ['optimize', '--run', run],
        ['explore', '--run', run, '--frontier'],
      ]) {
        const result = await runMmm(args);
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(
          /surface was built from another posterior .*: the run was re-fitted after its surface was built; re-run mmm surface\n/,
        );
        expect(result.stdout).toBe('');
      }
    },
    STEP_LIMIT,
  );

  it(
    'after mmm surface, R answers as a fresh fit of the new config does, not as the first model',
    async () => {
      const surface = await runMmm(['surface', '--run', run]);
      expect(surface.status, surface.stderr).toBe(0);
      const rebuilt = await optimizeAnswer(run);
      const fresh = join(root, 'fresh');
      await fitAndSurface(otherConfig, fresh);
      expect(rebuilt).toEqual(await optimizeAnswer(fresh));
      expect(rebuilt.calibrationFactor).not.toEqual(firstAnswer.calibrationFactor);
      expect(rebuilt).not.toEqual(firstAnswer);
    },
    STEP_LIMIT,
  );

  it(
    'a re-fit that fails its diagnostics (exit 3) leaves no posterior that surface, explore or optimize use',
    async () => {
      const failed = await runMmm([
        'fit',
        '--data',
        data,
        '--config',
        firstConfig,
        '--out',
        run,
        '--force',
        '--chains',
        '1',
        '--warmup',
        '10',
        '--draws',
        '10',
      ]);
      expect(failed.status, failed.stderr).toBe(3);
      expect(existsSync(join(run, 'posterior.bin'))).toBe(false);
      expect(existsSync(join(run, 'surface'))).toBe(false);
      const surface = await runMmm(['surface', '--run', run]);
      expect(surface.status).toBe(1);
      expect(surface.stderr).toContain(`${run} holds no posterior`);
      for (const args of [
        ['optimize', '--run', run],
        ['explore', '--run', run, '--marginal'],
      ]) {
        const result = await runMmm(args);
        expect(result.status).toBe(1);
        expect(result.stdout).toBe('');
      }
    },
    STEP_LIMIT,
  );
});
