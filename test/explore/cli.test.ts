import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/command.ts';
import { exploreCommand } from '../../src/cli/commands/explore.ts';
import { optimizeCommand } from '../../src/cli/commands/optimize.ts';
import { createSurfaceCommand } from '../../src/cli/commands/surface.ts';
import { InfeasibleConstraintError } from '../../src/explore/constraints.ts';
import { recommendationRowSchema } from '../../src/explore/rows.ts';
import { FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const source = randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 200, seed: 31 });
let dir: string;

/** Runs a command and returns what it printed to stdout. */
async function printed(run: () => Promise<number>): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    expect(await run()).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return text;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-cli-'));
  const surface = createSurfaceCommand(async (runDir, options) => {
    expect(runDir).toBe(dir);
    expect(options.window).toEqual(source.window);
    return source;
  });
  await expect(surface.run(['--run', dir, '--window', '2023-12-25:2023-01-02'])).rejects.toThrow(UsageError);
  const out = await printed(() => surface.run(['--run', dir, '--run-id', 'cli-run', '--window', '2023-01-02:2023-12-25']));
  expect(out).toMatch(/calibration k\s+1\.0400 \(band 0\.8\.\.1\.25\)/);
  expect(out).toMatch(/scenarios\s+11,481/);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('mmm optimize', () => {
  it('prints channel, current, recommended, change and mROI, and writes JSON with recommendation rows', async () => {
    const jsonPath = join(dir, 'plan.json');
    const out = await printed(() => optimizeCommand.run(['--run', dir, '--lock', 'radio', '--json', jsonPath]));
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^channel\s+current\s+recommended\s+change\s+mROI\s+limit$/);
    expect(lines.find((l) => l.startsWith('radio'))).toMatch(/^radio\s+5,000\s+5,000\s+0\s+[\d.]+\s+locked at current 5,000$/);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/^total\s+100,000\s+100,000\s+0/);
    expect(out).toContain('exact optimum on the spend grid');
    expect(out).toContain('Alternatives within 1.0% of the best');
    const json = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(json.runId).toBe('cli-run');
    expect(json.channels.map((c: { channel: string }) => c.channel)).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    expect(json.channels.reduce((s: number, c: { recommended: number }) => s + c.recommended, 0)).toBeCloseTo(100_000, 6);
    expect(json.rows.length).toBe(5 * (1 + json.alternatives.length));
    for (const row of json.rows) recommendationRowSchema.parse(row);
    expect(JSON.parse(json.rows[0].constraints)).toMatchObject({ budget: 100_000, channels: { radio: { locked: true } }, objective: { kind: 'mean' } });
  });

  it('refuses constraints that cannot be met, naming the binding one', async () => {
    await expect(optimizeCommand.run(['--run', dir, '--min', 'tv=95%', '--min', 'search=400%'])).rejects.toThrow(InfeasibleConstraintError);
    await expect(optimizeCommand.run(['--run', dir, '--budget', '50000', '--min', 'tv=60000'])).rejects.toThrow('tv: min 60,000');
  });

  it('rejects malformed flags as usage errors', async () => {
    await expect(optimizeCommand.run([])).rejects.toThrow(UsageError);
    await expect(optimizeCommand.run(['--run', dir, '--budget', 'lots'])).rejects.toThrow(UsageError);
    await expect(optimizeCommand.run(['--run', dir, '--bogus'])).rejects.toThrow(UsageError);
  });

  it('exits 1 with the error on stderr through the mmm binary', async () => {
    const error = await promisify(execFile)('node', ['bin/mmm.js', 'optimize', '--run', dir, '--max', 'tv=1000', '--max', 'search=1000', '--budget', '99000'])
      .then(() => null, (e: { code: number; stderr: string }) => e);
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain('InfeasibleConstraintError: budget 99,000 exceeds the 92,000 the channels can take: tv: max 1,000; search: max 1,000');
  }, 30_000);
});

describe('mmm explore', () => {
  it('scores an allocation', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--allocation', '{"tv":60000,"radio":0}']));
    expect(out).toMatch(/^tv\s+60,000/m);
    expect(out).toMatch(/^radio\s+0\s+0\s+0\s+0\s+-$/m);
    expect(out).toMatch(/^total spend\s+105,000$/m);
    expect(out).toContain('P(beats current mix)');
  });

  it('writes marginal returns as JSON', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--marginal', '--json', '-']));
    const marginal = JSON.parse(out);
    expect(marginal.map((m: { channel: string }) => m.channel)).toEqual(['tv', 'search', 'social', 'display', 'radio']);
    expect(marginal[1].mroi.mean).toBeGreaterThan(0);
  });

  it('prints a frontier with one row per level', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--frontier', '--levels', '5']));
    const rows = out.trimEnd().split('\n').slice(2);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['0', '50,000', '100,000', '150,000', '200,000']);
  });

  it('goal-seeks the least budget for a target', async () => {
    const out = await printed(() => exploreCommand.run(['--run', dir, '--goal', String(source.observedTotal), '--probability', '0.9']));
    expect(out).toMatch(/^least budget [\d,]+ reaches [\d,]+ with probability 9\d\.\d%/);
  });

  it('requires exactly one mode', async () => {
    await expect(exploreCommand.run(['--run', dir])).rejects.toThrow('give exactly one of');
    await expect(exploreCommand.run(['--run', dir, '--frontier', '--goal', '5'])).rejects.toThrow(UsageError);
    await expect(exploreCommand.run(['--run', dir, '--allocation', '{"tv":-1}'])).rejects.toThrow(UsageError);
  });
});
