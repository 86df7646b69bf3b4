#!/usr/bin/env node
/**
 * `npm run build` (run by scripts/setup.sh): compiles src/, activities/ and workflows/ to dist/ with
 * tsconfig.build.json (`.ts` import specifiers rewritten to `.js`), copies the non-TypeScript files
 * of those folders (the dashboard's page script and styles) beside their modules, and writes the
 * build stamp bin/mmm.js checks (scripts/dist.mjs). `--if-stale` builds only when dist/ is not
 * current. On a compile error nothing is stamped, so the CLI keeps running the sources.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { BUILD_STAMP, DIST_DIR, ROOT, distIsCurrent } from './dist.mjs';

const COMPILED_FOLDERS = ['src', 'activities', 'workflows'];

function* nonTypeScriptFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* nonTypeScriptFiles(path);
    else if (!entry.name.endsWith('.ts')) yield path;
  }
}

if (process.argv.includes('--if-stale') && distIsCurrent()) {
  console.log('build: dist/ is current');
  process.exit(0);
}

// The stamp carries the start time: a source saved while tsc runs leaves dist/ stale, as it should.
const started = new Date();
rmSync(DIST_DIR, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
} catch {
  console.error('build: tsc failed (errors above); dist/ is not stamped, so bin/mmm.js runs the sources');
  process.exit(1);
}
for (const folder of COMPILED_FOLDERS) {
  for (const file of nonTypeScriptFiles(join(ROOT, folder))) {
    const target = join(DIST_DIR, relative(ROOT, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
}
writeFileSync(BUILD_STAMP, `dist/ built from the sources as they were at ${started.toISOString()}\n`);
utimesSync(BUILD_STAMP, started, started);
console.log(`build: dist/ built (${relative(ROOT, DIST_DIR)}/src/cli/main.js runs the CLI)`);
