/**
 * The same module resolves the project root and worker-loaded modules whether it runs as the sources
 * (here, under vitest) or compiled into dist/src/ (the CLI): the latter is checked by compiling
 * src/io/runtime-location.ts with tsconfig.build.json's options into a dist/ layout and running it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, RUNNING_FROM_SOURCES, runtimeModuleUrl } from '../../src/io/runtime-location.ts';
import { REPO_ROOT } from '../support/reference-data.ts';

describe('runtime location', () => {
  it('from the sources: the repository root, and .ts modules', () => {
    expect(RUNNING_FROM_SOURCES).toBe(true);
    expect(PROJECT_ROOT).toBe(resolve(REPO_ROOT));
    expect(runtimeModuleUrl('./inference/chain-worker.ts', pathToFileURL(join(PROJECT_ROOT, 'src', 'x.ts')).href).pathname).toBe(
      join(PROJECT_ROOT, 'src', 'inference', 'chain-worker.ts'),
    );
  });

  it('compiled into dist/src/: the same root (one level further up), and .js modules', () => {
    const root = mkdtempSync(join(tmpdir(), 'mmm-runtime-location-'));
    try {
      const configFile = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.build.json'), ts.sys.readFile);
      const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, REPO_ROOT);
      const source = readFileSync(join(REPO_ROOT, 'src', 'io', 'runtime-location.ts'), 'utf8');
      // Named .mts so that transpileModule, which cannot see package.json's "type": "module", emits ES modules as the build does.
      const compiled = ts.transpileModule(source, { compilerOptions: options, fileName: 'runtime-location.mts' }).outputText;
      mkdirSync(join(root, 'dist', 'src', 'io'), { recursive: true });
      writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
      writeFileSync(join(root, 'dist', 'src', 'io', 'runtime-location.js'), compiled);
      const probe = `const m = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'src', 'io', 'runtime-location.js')).href)});
        console.log(JSON.stringify({ fromSources: m.RUNNING_FROM_SOURCES, root: m.PROJECT_ROOT,
          worker: m.runtimeModuleUrl('./inference/chain-worker.ts', import.meta.url).pathname.split('/').pop() }));`;
      const printed = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }));
      expect(printed).toEqual({ fromSources: false, root: resolve(root), worker: 'chain-worker.js' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
