/**
 * Issue 10, acceptance 5: the CLI refuses bad input — bad flags, bad data, damaged or stale run
 * directories — with a message that names the flag, file, column, row or value (message first, then the
 * hint), the documented exit status (2 usage, 1 refused input), and nothing written: the case's whole
 * directory hashes the same before and after. Runs the real `mmm` binary; one small fitted run with its
 * surface is built once and copied into each case that needs a run directory.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitRun, readManifest, writeArtefact } from '../../src/io/run-manifest.ts';
import { POSTERIOR_FORMAT } from '../../src/run/run-directory.ts';
import { syntheticRows } from '../fixtures/data/synthetic-csv.ts';
import { runMmm } from '../support/run-mmm.ts';
import { SMALL_CONFIG, snapshotTree, writeInputs } from './cli-harness.ts';

/** Where a case runs: its own directory with the inputs, and (for run cases) a copy of the fitted run. */
interface CaseDir {
  dir: string;
  run: string;
  out: string;
  data: string;
  config: string;
}

interface BadCase {
  label: string;
  /** Copy the fitted run (with its surface) to `run` before `setup`. */
  withRun?: boolean;
  /** Damages the case's files; the "nothing written" snapshot is taken after it. */
  setup?: (c: CaseDir) => void;
  args: (c: CaseDir) => string[];
  exit: 1 | 2;
  /** What stderr must contain: the flag, file, column, row or value at fault. */
  expected: (c: CaseDir) => (string | RegExp)[];
}

/** Rewrites one committed file of the run and commits the run again with the new hash: a re-fit, as the manifest sees it. */
function recommitWith(run: string, path: string, edit: (bytes: Buffer) => Buffer): void {
  const manifest = readManifest(run);
  const files = manifest.files.map((entry) =>
    entry.path === path ? writeArtefact(run, path, edit(readFileSync(join(run, path)))) : entry,
  );
  commitRun(run, files);
}

const flipLastByte = (bytes: Buffer): Buffer => {
  const copy = Buffer.from(bytes);
  copy[copy.length - 1] ^= 0xff;
  return copy;
};

const fitArgs = (c: CaseDir, ...extra: string[]) => ['fit', '--data', c.data, '--config', c.config, '--out', c.out, ...extra];

const cases: BadCase[] = [
  // mmm itself
  { label: 'no command', args: () => [], exit: 2, expected: () => ['mmm: no command given', 'Exit status:'] },
  { label: 'unknown command', args: () => ['fitt'], exit: 2, expected: () => ["unknown command 'fitt'", 'Commands:'] },

  // mmm fit: flags (exit 2, the output directory is never created)
  {
    label: 'fit: unknown flag',
    args: (c) => fitArgs(c, '--chain', '2'),
    exit: 2,
    expected: () => ["Unknown option '--chain'", "Run 'mmm fit --help'"],
  },
  {
    label: 'fit: --chains 0',
    args: (c) => fitArgs(c, '--chains', '0'),
    exit: 2,
    expected: () => ["--chains must be an integer from 1 to 64, got '0'"],
  },
  {
    label: 'fit: --chains 65',
    args: (c) => fitArgs(c, '--chains', '65'),
    exit: 2,
    expected: () => ["--chains must be an integer from 1 to 64, got '65'"],
  },
  {
    label: 'fit: --draws -5',
    args: (c) => fitArgs(c, '--draws=-5'),
    exit: 2,
    expected: () => ["--draws must be an integer >= 10, got '-5'"],
  },
  {
    label: 'fit: --draws without a value',
    args: (c) => fitArgs(c, '--draws', '-5'),
    exit: 2,
    expected: () => ["Option '--draws' argument is ambiguous"],
  },
  {
    label: 'fit: --seed abc',
    args: (c) => fitArgs(c, '--seed', 'abc'),
    exit: 2,
    expected: () => ["--seed must be an integer >= 0, got 'abc'"],
  },
  {
    label: 'fit: --seed 1.5',
    args: (c) => fitArgs(c, '--seed', '1.5'),
    exit: 2,
    expected: () => ["--seed must be an integer >= 0, got '1.5'"],
  },
  // Below the config's minimum: the sampler schema used to throw a raw ZodError here.
  {
    label: 'fit: --warmup 5 (was a raw ZodError)',
    args: (c) => fitArgs(c, '--warmup', '5'),
    exit: 2,
    expected: () => ["--warmup must be an integer >= 10, got '5'"],
  },
  // mmm retrain: the same user-level limits, refused before any connection to Temporal (none runs here).
  {
    label: 'retrain: --warmup 5',
    args: (c) => ['retrain', '--model', 'demo', '--config', c.config, '--warmup', '5'],
    exit: 2,
    expected: () => ["--warmup must be an integer >= 10, got '5'"],
  },
  {
    label: 'fit: --threads 0',
    args: (c) => fitArgs(c, '--threads', '0'),
    exit: 2,
    expected: () => ["--threads must be an integer >= 1, got '0'"],
  },
  {
    label: 'fit: --out missing',
    args: (c) => ['fit', '--data', c.data, '--config', c.config],
    exit: 2,
    expected: () => ['--out is required'],
  },
  { label: 'fit: stray argument', args: (c) => [...fitArgs(c), 'extra'], exit: 2, expected: () => ["Unexpected argument 'extra'"] },
  {
    label: 'fit: --out is a file',
    setup: (c) => writeFileSync(c.out, 'x'),
    args: (c) => fitArgs(c),
    exit: 2,
    expected: (c) => [`--out ${c.out} is a file`],
  },
  {
    label: 'fit: --out on an existing run, without --force',
    withRun: true,
    args: (c) => fitArgs(c).map((a) => (a === c.out ? c.run : a)),
    exit: 2,
    expected: (c) => [`--out ${c.run} is not empty`, 'manifest.json', 'pass --force'],
  },
  // mmm fit: input (exit 1)
  {
    label: 'fit: negative KPI',
    args: (c) => fitArgs(c),
    exit: 1,
    setup: (c) => {
      const rows = syntheticRows(30);
      rows[6].sales = '-12.5';
      writeInputs(c.dir, { rows });
    },
    expected: () => ["column 'sales'", 'row 8', 'negative KPI -12.5'],
  },
  {
    label: 'fit: --force with a negative KPI keeps the existing run',
    withRun: true,
    exit: 1,
    setup: (c) => {
      const rows = syntheticRows(30);
      rows[2].sales = '-1';
      writeInputs(c.dir, { rows });
    },
    args: (c) => [...fitArgs(c).map((a) => (a === c.out ? c.run : a)), '--force'],
    expected: () => ["column 'sales'", 'row 4', 'negative KPI -1'],
  },
  {
    label: 'fit: data file missing',
    setup: (c) => rmSync(c.data),
    args: (c) => fitArgs(c),
    exit: 1,
    expected: (c) => [c.data, 'cannot read the data file'],
  },
  {
    label: 'fit: config with a wrong type (was zod JSON)',
    exit: 1,
    setup: (c) => writeInputs(c.dir, { config: { ...SMALL_CONFIG, sampler: { chains: 'four' } } }),
    args: (c) => fitArgs(c),
    expected: (c) => [c.config, 'sampler.chains: expected number, received string'],
  },

  // mmm surface: flags
  { label: 'surface: --run missing', args: () => ['surface'], exit: 2, expected: () => ['--run DIR is required'] },
  {
    label: 'surface: unknown flag',
    withRun: true,
    args: (c) => ['surface', '--run', c.run, '--draws', '10'],
    exit: 2,
    expected: () => ["Unknown option '--draws'"],
  },
  {
    label: 'surface: --band upside down (was a raw ZodError)',
    withRun: true,
    args: (c) => ['surface', '--run', c.run, '--band', '1.3:1.2'],
    exit: 2,
    expected: () => ['--band', 'lower < upper'],
  },
  {
    label: 'surface: --band 0:1 (was a raw ZodError)',
    withRun: true,
    args: (c) => ['surface', '--run', c.run, '--band', '0:1'],
    exit: 2,
    expected: () => ['--band', '>0'],
  },
  {
    label: 'surface: --window with a day that does not exist (was a raw ZodError)',
    withRun: true,
    exit: 2,
    args: (c) => ['surface', '--run', c.run, '--window', '2021-02-30:2021-03-29'],
    expected: () => ["--window '2021-02-30:2021-03-29'"],
  },
  {
    label: 'surface: --max-draws 0',
    withRun: true,
    args: (c) => ['surface', '--run', c.run, '--max-draws', '0'],
    exit: 2,
    expected: () => ["--max-draws must be an integer >= 1, got '0'"],
  },
  // mmm surface: run directories
  {
    label: 'surface: run directory missing',
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${c.run}: no such run directory`],
  },
  {
    label: 'surface: manifest missing (a fit that did not finish)',
    withRun: true,
    setup: (c) => rmSync(join(c.run, 'manifest.json')),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${c.run} holds no committed run`, 'manifest.json'],
  },
  {
    label: 'surface: manifest cut short',
    withRun: true,
    setup: (c) => truncateSync(join(c.run, 'manifest.json'), 40),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'manifest.json')} is not valid JSON`],
  },
  {
    label: 'surface: truncated posterior.bin',
    withRun: true,
    setup: (c) => truncateSync(join(c.run, 'posterior.bin'), 1000),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'posterior.bin')} holds 1000 bytes`, 'truncated'],
  },
  {
    label: 'surface: posterior.bin whose hash does not match',
    withRun: true,
    setup: (c) => writeFileSync(join(c.run, 'posterior.bin'), flipLastByte(readFileSync(join(c.run, 'posterior.bin')))),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'posterior.bin')} does not match the SHA-256`],
  },
  {
    label: 'surface: posterior.json edited',
    withRun: true,
    setup: (c) =>
      writeFileSync(join(c.run, 'posterior.json'), readFileSync(join(c.run, 'posterior.json'), 'utf8').replace('"maxLag":2', '"maxLag":3')),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [join(c.run, 'posterior.json'), 'SHA-256'],
  },
  {
    label: 'surface: a fit that failed its diagnostics (committed, no posterior)',
    withRun: true,
    setup: (c) => {
      for (const file of ['posterior.bin', 'posterior.json', 'analysis.json']) rmSync(join(c.run, file));
      commitRun(
        c.run,
        readManifest(c.run).files.filter((entry) => entry.path === 'summary.json'),
      );
    },
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [`${c.run} holds no posterior`, 'failed its diagnostics'],
  },

  // mmm optimize / explore: surfaces
  {
    label: 'optimize: surface missing',
    withRun: true,
    setup: (c) => rmSync(join(c.run, 'surface'), { recursive: true }),
    args: (c) => ['optimize', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'surface')} holds no committed surface`, 'run mmm surface'],
  },
  {
    label: 'surface: a run fitted by an earlier version (posterior format 1)',
    withRun: true,
    setup: (c) =>
      recommitWith(c.run, 'posterior.json', (bytes) =>
        Buffer.from(bytes.toString('utf8').replace(`"format":"${POSTERIOR_FORMAT}"`, '"format":"mmm-posterior/1"')),
      ),
    args: (c) => ['surface', '--run', c.run],
    exit: 1,
    expected: (c) => [join(c.run, 'posterior.json'), `mmm-posterior/1 is not ${POSTERIOR_FORMAT}`, 'fit it again'],
  },
  {
    label: 'optimize: surface built from another posterior',
    withRun: true,
    setup: (c) => recommitWith(c.run, 'posterior.bin', flipLastByte),
    args: (c) => ['optimize', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'surface')} was built from another posterior`, /re-run mmm surface\n/],
  },
  {
    label: 'explore: surface built from another posterior',
    withRun: true,
    setup: (c) => recommitWith(c.run, 'posterior.json', (bytes) => Buffer.from(bytes.toString('utf8').replace('"seed":1', '"seed":2'))),
    args: (c) => ['explore', '--run', c.run, '--marginal'],
    exit: 1,
    expected: (c) => [`${join(c.run, 'surface')} was built from another posterior`, /re-run mmm surface\n/],
  },
  {
    label: 'optimize: scenarios.jsonl truncated',
    withRun: true,
    setup: (c) => truncateSync(join(c.run, 'surface', 'scenarios.jsonl'), 100),
    args: (c) => ['optimize', '--run', c.run],
    exit: 1,
    expected: (c) => [`${join(c.run, 'surface', 'scenarios.jsonl')} holds 100 bytes`, 'surface.json'],
  },
  {
    label: 'optimize: run manifest missing',
    withRun: true,
    setup: (c) => rmSync(join(c.run, 'manifest.json')),
    args: (c) => ['optimize', '--run', c.run],
    exit: 1,
    expected: (c) => [`${c.run} holds no committed run`],
  },
  {
    label: 'explore: truncated posterior.bin (the run is damaged)',
    withRun: true,
    setup: (c) => truncateSync(join(c.run, 'posterior.bin'), 8),
    args: (c) => ['explore', '--run', c.run, '--frontier'],
    exit: 1,
    expected: (c) => [`${join(c.run, 'posterior.bin')} holds 8 bytes`],
  },
  { label: 'optimize: --run missing', args: () => ['optimize'], exit: 2, expected: () => ['--run DIR is required'] },
  {
    label: 'optimize: --tolerance 2',
    withRun: true,
    args: (c) => ['optimize', '--run', c.run, '--tolerance', '2'],
    exit: 2,
    expected: () => ["--tolerance '2'", '<=1'],
  },
  {
    label: 'optimize: --min without a value',
    withRun: true,
    args: (c) => ['optimize', '--run', c.run, '--min', 'TV'],
    exit: 2,
    expected: () => ["--min/--max: 'TV' is not CHANNEL=AMOUNT"],
  },
  {
    label: 'explore: --objective foo',
    withRun: true,
    args: (c) => ['explore', '--run', c.run, '--frontier', '--objective', 'foo'],
    exit: 2,
    expected: () => ["--objective: objective 'foo'"],
  },
  {
    label: 'explore: --levels 1',
    withRun: true,
    args: (c) => ['explore', '--run', c.run, '--frontier', '--levels', '1'],
    exit: 2,
    expected: () => ["--levels '1'", '>=2'],
  },
  {
    label: 'explore: --allocation not JSON',
    withRun: true,
    args: (c) => ['explore', '--run', c.run, '--allocation', '{tv:1}'],
    exit: 2,
    expected: () => ['--allocation is not JSON: {tv:1}'],
  },
  {
    label: 'explore: unknown flag',
    withRun: true,
    args: (c) => ['explore', '--run', c.run, '--budget', '5'],
    exit: 2,
    expected: () => ["Unknown option '--budget'"],
  },

  // other commands' flags
  {
    label: 'generate-demo-data: --weeks 0',
    args: (c) => ['generate-demo-data', '--out', c.out, '--weeks', '0'],
    exit: 2,
    expected: () => ["--weeks '0'"],
  },
  {
    label: 'generate-demo-data: --start not a Monday',
    args: (c) => ['generate-demo-data', '--out', c.out, '--start', '2022-01-04'],
    exit: 2,
    expected: () => ["--start must be a Monday as yyyy-mm-dd, got '2022-01-04'"],
  },
  {
    label: 'dashboard: --port 70000',
    args: () => ['dashboard', '--port', '70000'],
    exit: 2,
    expected: () => ["--port must be an integer from 0 to 65535, got '70000'"],
  },
  { label: 'migrate: unknown flag', args: (c) => ['migrate', '--duck', c.out], exit: 2, expected: () => ["Unknown option '--duck'"] },
];

/** A safety bound per case, not a speed target: a CLI process takes up to a minute on a loaded 2-core machine. */
const CASE_LIMIT = 600_000;

let root: string;
let fitted: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'mmm-cli-bad-'));
  const inputs = writeInputs(root);
  fitted = join(root, 'fitted');
  const fit = await runMmm(['fit', '--data', inputs.data, '--config', inputs.config, '--out', fitted]);
  expect(fit.status, fit.stderr).toBe(0);
  const surface = await runMmm(['surface', '--run', fitted]);
  expect(surface.status, surface.stderr).toBe(0);
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the CLI refuses bad input with a message naming what is wrong, the documented exit status, and nothing written', () => {
  it.concurrent.each(cases)(
    '$label',
    async ({ withRun, setup, args, exit, expected }) => {
      const dir = mkdtempSync(join(root, 'case-'));
      const c: CaseDir = { dir, run: join(dir, 'run'), out: join(dir, 'out'), ...writeInputs(dir) };
      if (withRun) cpSync(fitted, c.run, { recursive: true });
      setup?.(c);
      const before = snapshotTree(dir);
      const result = await runMmm(args(c), { cwd: dir });
      expect(result.status, result.stderr).toBe(exit);
      // Message first ("mmm <command>: ..."), never a raw validation dump or a JavaScript TypeError.
      expect(result.stderr).toMatch(/^mmm( [a-z-]+)?: /);
      expect(result.stderr).not.toMatch(/ZodError|TypeError|"code":|"path":/);
      for (const pattern of expected(c)) {
        if (typeof pattern === 'string') expect(result.stderr).toContain(pattern);
        else expect(result.stderr).toMatch(pattern);
      }
      expect(snapshotTree(dir)).toEqual(before);
    },
    CASE_LIMIT,
  );
});

describe('the fitted run the cases copy is usable (so each case fails for its own defect)', () => {
  it(
    'answers optimize from its committed surface',
    async () => {
      const dir = mkdtempSync(join(root, 'control-'));
      const run = join(dir, 'run');
      cpSync(fitted, run, { recursive: true });
      const result = await runMmm(['optimize', '--run', run, '--json', '-'], { cwd: dir });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).runId).toBe('fitted');
    },
    CASE_LIMIT,
  );
});
