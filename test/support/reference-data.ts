/** Paths to the public reference data vendored in data/reference/ (provenance and licences in its README.md; docs/design.md section 8). */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const REFERENCE_DATA = resolve(REPO_ROOT, 'data/reference');
export const referenceFile = (relative: string): string => resolve(REFERENCE_DATA, relative);
export const exampleConfig = (name: string): string => resolve(REPO_ROOT, 'examples', name);
