#!/usr/bin/env node
// The `mmm` CLI. It runs the compiled JavaScript in dist/ (`npm run build`; scripts/setup.sh builds it)
// when dist/ is current, i.e. built after the last change to src/, activities/, workflows/ and the
// tsconfigs (modification times, scripts/dist.mjs); otherwise it runs the TypeScript sources through
// tsx. So an edit or a checkout takes effect at once and nobody runs stale code, while an unchanged
// tree starts fast: tsx compiles every module at each start (`npm run bench:cli` prints the times).
import { DIST_CLI, distIsCurrent } from '../scripts/dist.mjs';

if (distIsCurrent()) {
  await import(DIST_CLI);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
