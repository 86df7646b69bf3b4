/** When bin/mmm.js may run the compiled dist/ (scripts/dist.mjs): only when it was built after every change to the sources. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOURCES, distIsCurrent } from '../../scripts/dist.mjs';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));
const setTime = (path: string, seconds: number): void => utimesSync(path, at(seconds), at(seconds));

describe('distIsCurrent', () => {
  let root: string;

  /** A project whose every source file and folder was last changed at second 10, built at second 20. */
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mmm-dist-'));
    for (const source of SOURCES) {
      const path = join(root, source);
      if (source.includes('.')) {
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, '{}');
      } else {
        mkdirSync(join(path, 'sub'), { recursive: true });
        writeFileSync(join(path, 'sub', 'module.ts'), 'export {};');
        setTime(join(path, 'sub', 'module.ts'), 10);
        setTime(join(path, 'sub'), 10);
      }
      setTime(path, 10);
    }
    setTime(join(root, 'scripts'), 10);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.build-stamp'), '');
    setTime(join(root, 'dist', '.build-stamp'), 20);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is current when the build started after the last change', () => {
    expect(distIsCurrent(root)).toBe(true);
  });

  it('is not current without a build stamp (never built, or the build failed)', () => {
    rmSync(join(root, 'dist', '.build-stamp'));
    expect(distIsCurrent(root)).toBe(false);
  });

  it('is not current when a source file changed after the build started', () => {
    setTime(join(root, 'src', 'sub', 'module.ts'), 21);
    expect(distIsCurrent(root)).toBe(false);
  });

  it('is not current when a file was removed from a source folder (its folder changed)', () => {
    rmSync(join(root, 'workflows', 'sub', 'module.ts'));
    expect(distIsCurrent(root)).toBe(false);
  });

  it('is not current when a tsconfig changed', () => {
    setTime(join(root, 'tsconfig.build.json'), 30);
    expect(distIsCurrent(root)).toBe(false);
  });

  it('ignores files outside the sources (tests, docs)', () => {
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'test', 'late.test.ts'), '');
    expect(distIsCurrent(root)).toBe(true);
  });
});
