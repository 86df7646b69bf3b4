#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx so that tests, workers and the CLI share one code path.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
