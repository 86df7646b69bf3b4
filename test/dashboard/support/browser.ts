/**
 * The dashboard's browser tests' harness: `mmm dashboard` served on a free port, and Chromium (playwright-core
 * with Debian's /usr/bin/chromium) in a throwaway profile.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../support/reference-data.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test/artifacts');
export const MMM_DASHBOARD = [join(REPO_ROOT, 'bin/mmm.js'), 'dashboard'];

export interface ServedDashboard {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `mmm dashboard --dir DIR --port 0 --json` (plus `flags`) and resolves with its URL once it listens. */
export function serveDashboard(dir: string, flags: readonly string[] = []): Promise<ServedDashboard> {
  const child = spawn(process.execPath, [...MMM_DASHBOARD, '--dir', dir, '--port', '0', '--json', ...flags]);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve({ url: (JSON.parse(line) as { url: string }).url, child, stop });
    });
    child.once('exit', (code) => reject(new Error(`mmm dashboard exited with ${code} before listening: ${stderr}`)));
  });
}

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<HeadlessChromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing; run scripts/setup.sh (it installs Debian's chromium)`);
  const profile = mkdtempSync(join(tmpdir(), 'mmm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Data mark items (not axes, legends or titles) of a chart, by mark type. */
export async function markCounts(page: Page, chart: string): Promise<Record<string, number>> {
  return page.$$eval(`#chart-${chart} g.role-mark`, (groups) => {
    const counts: Record<string, number> = {};
    for (const group of groups) {
      const type = [...group.classList].find((c) => c.startsWith('mark-'))?.slice('mark-'.length) ?? 'unknown';
      counts[type] = (counts[type] ?? 0) + group.children.length;
    }
    return counts;
  });
}
