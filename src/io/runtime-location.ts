/**
 * Where the running code lives. The same modules run either as the TypeScript sources (tests, and
 * the CLI when dist/ is out of date, through tsx) or as the compiled JavaScript in dist/ (the CLI,
 * see bin/mmm.js), one directory deeper. Files the product reads (sql/, dbt/, examples/, .venv/)
 * are therefore resolved from PROJECT_ROOT, never relative to a module's own location, and modules
 * that worker threads load by URL are named through runtimeModuleUrl: tsc's
 * rewriteRelativeImportExtensions rewrites `.ts` in import specifiers, not in URLs built at run time.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this process runs the TypeScript sources (the .ts files under src/), false when it runs dist/. */
export const RUNNING_FROM_SOURCES = import.meta.url.endsWith('.ts');

/** The repository root: this module is src/io/runtime-location.ts or dist/src/io/runtime-location.js. */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL(RUNNING_FROM_SOURCES ? '../../' : '../../../', import.meta.url)));

/** The URL of the module at `sourcePath` (a relative `.ts` path) from `base` (an import.meta.url), as the running code has it. */
export function runtimeModuleUrl(sourcePath: string, base: string): URL {
  return new URL(RUNNING_FROM_SOURCES ? sourcePath : sourcePath.replace(/\.ts$/, '.js'), base);
}

/** The Node flags of a worker thread that loads a module named by runtimeModuleUrl: the tsx preload when running the sources. */
export const WORKER_THREAD_EXEC_ARGV: string[] = RUNNING_FROM_SOURCES
  ? ['--import', new URL('./register-tsx.mjs', import.meta.url).href]
  : [];
