/**
 * Child processes tethered to their parent die with it, even when the parent is killed with SIGKILL
 * (no handler runs): `mmm demo` killed with kill -9 leaves no Temporal dev server behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/reference-data.ts';

/** Every process descended from `root`, with its command line. */
function descendants(root: number): { pid: number; command: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), command: m[3] }));
  const found: { pid: number; command: string }[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const row of rows.filter((r) => r.ppid === parent)) {
      found.push({ pid: row.pid, command: row.command });
      frontier.push(row.pid);
    }
  }
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

describe('a tethered child process', () => {
  it('dies with `mmm demo` killed by SIGKILL: no Temporal dev server is left running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-tether-'));
    const demo = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mmm.js'), 'demo', '--dir', dir, '--warmup', '20', '--draws', '20'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      demo.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      await until(
        () => output.includes('worker on') || demo.exitCode !== null,
        300_000,
        `the demo did not start its dev server and worker: ${output}`,
      );
      const server = descendants(demo.pid!).find((p) => /temporal server start-dev/.test(p.command));
      expect(server, JSON.stringify(descendants(demo.pid!))).toBeDefined();

      demo.kill('SIGKILL');
      await until(() => !alive(server!.pid), 60_000, `the dev server (pid ${server!.pid}) outlived the demo`);
      expect(alive(server!.pid)).toBe(false);
    } finally {
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 420_000);
});
