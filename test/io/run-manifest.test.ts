/**
 * The run-commit protocol: artefacts first, the manifest last; no manifest, no run; readers verify every
 * byte they use against it; a surface built from another posterior is refused with "re-run mmm surface".
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkSurfaceBuiltFrom,
  clearRun,
  commitRun,
  isRunCommitted,
  posteriorRef,
  readManifest,
  readRunFile,
  RUN_MANIFEST_FILE,
  RunStateError,
  verifyRun,
  writeArtefact,
} from '../../src/io/run-manifest.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmm-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A committed run of three files, as a passing fit writes it (posterior.json, posterior.bin, summary.json). */
function commitSmallRun(draws = 'draws-1'): void {
  commitRun(dir, [
    writeArtefact(dir, 'posterior.bin', draws),
    writeArtefact(dir, 'posterior.json', '{"header":1}'),
    writeArtefact(dir, 'summary.json', '{"verdict":"pass"}'),
  ]);
}

describe('commit', () => {
  it('lists every artefact with its size and the SHA-256 of the bytes written', () => {
    commitSmallRun();
    const manifest = verifyRun(dir);
    expect(manifest.files).toEqual([
      { path: 'posterior.bin', bytes: 7, sha256: sha256('draws-1') },
      { path: 'posterior.json', bytes: 12, sha256: sha256('{"header":1}') },
      { path: 'summary.json', bytes: 18, sha256: sha256('{"verdict":"pass"}') },
    ]);
    expect(readRunFile(dir, manifest, 'summary.json').toString()).toBe('{"verdict":"pass"}');
    expect(isRunCommitted(dir)).toBe(true);
  });

  it('a directory whose artefacts are written but whose manifest is not holds no run', () => {
    writeArtefact(dir, 'summary.json', '{}');
    expect(() => readManifest(dir)).toThrow(`${dir} holds no committed run (no ${RUN_MANIFEST_FILE}`);
    expect(isRunCommitted(dir)).toBe(false);
    expect(() => readManifest(join(dir, 'absent'))).toThrow(`${join(dir, 'absent')}: no such run directory`);
  });

  it('a manifest cut short (a commit that did not finish) is refused', () => {
    commitSmallRun();
    truncateSync(join(dir, RUN_MANIFEST_FILE), 30);
    expect(() => readManifest(dir)).toThrow(RunStateError);
    expect(isRunCommitted(dir)).toBe(false);
  });

  it('never vouches for bytes another writer put under the same name', () => {
    const entry = writeArtefact(dir, 'posterior.bin', 'mine');
    writeFileSync(join(dir, 'posterior.bin'), 'theirs');
    commitRun(dir, [entry]);
    expect(() => verifyRun(dir)).toThrow(/posterior\.bin holds 6 bytes; .*manifest\.json records 4/);
  });
});

describe('readers verify what they read', () => {
  it('refuse a truncated file, a changed file of the same size, a missing file and a file the manifest does not list', () => {
    commitSmallRun();
    const manifest = readManifest(dir);
    writeFileSync(join(dir, 'posterior.bin'), 'draws-2');
    expect(() => readRunFile(dir, manifest, 'posterior.bin')).toThrow(
      `${join(dir, 'posterior.bin')} does not match the SHA-256 recorded in ${join(dir, RUN_MANIFEST_FILE)}`,
    );
    truncateSync(join(dir, 'posterior.bin'), 3);
    expect(() => readRunFile(dir, manifest, 'posterior.bin')).toThrow('holds 3 bytes; ');
    rmSync(join(dir, 'summary.json'));
    expect(() => readRunFile(dir, manifest, 'summary.json')).toThrow(`${join(dir, 'summary.json')} is missing`);
    expect(() => readRunFile(dir, manifest, 'analysis.json')).toThrow('lists no analysis.json');
    expect(isRunCommitted(dir)).toBe(false);
  });
});

describe('replacing a run', () => {
  it('clearRun withdraws the commit and empties the directory', () => {
    commitSmallRun();
    writeArtefact(dir, 'surface/surface.json', '{}');
    clearRun(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => readManifest(dir)).toThrow(RunStateError);
  });

  it('without its manifest, a half-replaced directory is no run, whatever files are left', () => {
    commitSmallRun();
    rmSync(join(dir, RUN_MANIFEST_FILE)); // a replace that stopped right after its first step
    expect(existsSync(join(dir, 'posterior.bin'))).toBe(true);
    expect(isRunCommitted(dir)).toBe(false);
  });
});

describe('a surface belongs to the posterior it was built from', () => {
  it('accepts the run\'s own posterior and refuses another one, or none recorded, with "re-run mmm surface"', () => {
    commitSmallRun('draws-1');
    const builtFrom = posteriorRef(dir, readManifest(dir));
    expect(() => checkSurfaceBuiltFrom(dir, readManifest(dir), join(dir, 'surface'), builtFrom)).not.toThrow();
    clearRun(dir);
    commitSmallRun('draws-2');
    expect(() => checkSurfaceBuiltFrom(dir, readManifest(dir), join(dir, 'surface'), builtFrom)).toThrow(
      /surface was built from another posterior \(posterior\.bin sha256 [0-9a-f]{12}\.\.\., the run's is [0-9a-f]{12}\.\.\.\).*re-run mmm surface$/,
    );
    expect(() => checkSurfaceBuiltFrom(dir, readManifest(dir), join(dir, 'surface'), null)).toThrow(/re-run mmm surface$/);
  });

  it('a failed fit (committed with its summary only) has no posterior to build from', () => {
    commitRun(dir, [writeArtefact(dir, 'summary.json', '{"verdict":"fail"}')]);
    expect(() => posteriorRef(dir, readManifest(dir))).toThrow(`${dir} holds no posterior`);
  });
});
