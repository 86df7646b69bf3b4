/**
 * The browser builds of vega, vega-lite and vega-embed from node_modules, to be inlined into the page
 * so that it renders with no network access (an exported page opened from a file, offline).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const require = createRequire(import.meta.url);

/** Package and its minified UMD build (the file the package's `unpkg` field names), in load order. */
const BROWSER_BUILDS = [
  { name: 'vega', file: 'vega.min.js' },
  { name: 'vega-lite', file: 'vega-lite.min.js' },
  { name: 'vega-embed', file: 'vega-embed.min.js' },
] as const;

const packageSchema = z.object({ version: z.string() });

export interface BrowserLibrary {
  name: string;
  version: string;
  source: string;
}

export class BrowserLibraryError extends Error {
  override readonly name = 'BrowserLibraryError';
}

let cached: BrowserLibrary[] | undefined;

/** The three libraries' sources, read once per process. */
export function vegaBrowserLibraries(): BrowserLibrary[] {
  cached ??= BROWSER_BUILDS.map(({ name, file }) => {
    // The packages export their ESM entry, which lives in build/ beside the UMD builds.
    const buildDir = dirname(require.resolve(name));
    const path = join(buildDir, file);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new BrowserLibraryError(
        `cannot read the browser build of ${name} at ${path} (${error instanceof Error ? error.message : String(error)}); run npm install`,
      );
    }
    const { version } = packageSchema.parse(JSON.parse(readFileSync(join(buildDir, '..', 'package.json'), 'utf8')));
    return { name, version, source };
  });
  return cached;
}
