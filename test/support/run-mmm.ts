/**
 * Runs the real `mmm` binary as a user would, without blocking the test worker (a blocked worker
 * misses vitest's heartbeats during long fits).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MMM = fileURLToPath(new URL('../../bin/mmm.js', import.meta.url));

export interface MmmResult { status: number | null; stdout: string; stderr: string }

export function runMmm(...args: string[]): Promise<MmmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MMM, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
