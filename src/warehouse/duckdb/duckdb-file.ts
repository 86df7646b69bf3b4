/**
 * One DuckDB instance per database file per process. DuckDB keeps a file's data in its instance, so
 * two instances of one file in one process each write their own copy and one silently loses the
 * other's commits; every open of a file therefore leases the process's single instance, which is
 * closed (and the file lock released) when the last lease is returned. Writes to a file are
 * serialised in the process (DuckDB aborts the second of two concurrent transactions that touch the
 * same rows, e.g. mmm_current), and dbt, a separate process, gets the file to itself while it runs.
 *
 * Across processes DuckDB's own file lock decides: an open that finds the file locked by another
 * process waits for it, saying so once, up to a timeout, then fails naming the file and the holder.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';

/** How long an open waits for another process's lock on the file by default (MMM_DUCKDB_LOCK_TIMEOUT). */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;
const MEMORY = ':memory:';

export class WarehouseLockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: string,
    readonly waitedSeconds: number,
  ) {
    super(
      `the DuckDB warehouse file ${path} is locked by another process (${holder}); waited ${waitedSeconds} s for it.\n` +
        '  hint: let that process finish or stop it, then run the command again; MMM_DUCKDB_LOCK_TIMEOUT sets how many seconds to wait',
    );
    this.name = 'WarehouseLockedError';
  }
}

/** The process holding a DuckDB file, from DuckDB's lock error ("... Conflicting lock is held in /usr/bin/node (PID 7771). See also ..."), or null for other errors. */
export function lockHolder(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes('Could not set lock on file')) return null;
  const holder = /Conflicting lock is held in (.+?)(?:\. See also|$)/s.exec(message)?.[1];
  return holder?.trim() ?? 'an unnamed process';
}

/** Runs one task at a time, in the order they arrive. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * Shared holders (opens of the warehouse) or one exclusive holder (dbt), granted first come first
 * served: a waiting exclusive holder is not overtaken by later shared ones, so dbt is not starved by
 * a busy worker.
 */
class SharedOrExclusive {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { kind: 'shared' | 'exclusive'; grant: () => void }[] = [];

  acquire(kind: 'shared' | 'exclusive'): Promise<void> {
    return new Promise((grant) => {
      this.waiting.push({ kind, grant });
      this.dispatch();
    });
  }

  release(kind: 'shared' | 'exclusive'): void {
    if (kind === 'shared') this.shared -= 1;
    else this.exclusive = false;
    this.dispatch();
  }

  private dispatch(): void {
    while (this.waiting.length > 0 && !this.exclusive) {
      const next = this.waiting[0];
      if (next.kind === 'exclusive' && this.shared > 0) return;
      this.waiting.shift();
      if (next.kind === 'shared') this.shared += 1;
      else this.exclusive = true;
      next.grant();
    }
  }
}

interface FileState {
  readonly access: SharedOrExclusive;
  readonly writes: SerialQueue;
  instance: Promise<DuckDBInstance> | null;
  leases: number;
}

const files = new Map<string, FileState>();

function stateOf(path: string): FileState {
  let state = files.get(path);
  if (state === undefined) {
    state = { access: new SharedOrExclusive(), writes: new SerialQueue(), instance: null, leases: 0 };
    files.set(path, state);
  }
  return state;
}

export interface DuckDbFileOptions {
  /** Seconds to wait for another process's lock on the file (default DEFAULT_LOCK_TIMEOUT_SECONDS). */
  lockTimeoutSeconds?: number;
  /** Told once when the file is locked by another process and the open starts waiting (default: a line on stderr). */
  onWait?: (message: string) => void;
}

/** A share of the process's instance of one DuckDB file. */
export interface DuckDbFileLease {
  readonly instance: DuckDBInstance;
  /** Runs a write once no other write to this file in this process is running. */
  serializeWrite<T>(write: () => Promise<T>): Promise<T>;
  /** Returns the share; the last one closes the instance and releases the file lock. */
  release(): void;
}

async function createWaitingForLock(path: string, options: DuckDbFileOptions): Promise<DuckDBInstance> {
  const timeoutSeconds = options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  let told = false;
  for (let delay = 100; ; delay = Math.min(2 * delay, 1000)) {
    try {
      return await DuckDBInstance.create(path);
    } catch (error) {
      const holder = lockHolder(error);
      if (holder === null) throw error;
      if (Date.now() >= deadline) throw new WarehouseLockedError(path, holder, Math.round((Date.now() - started) / 1000));
      if (!told) {
        (options.onWait ?? ((line) => process.stderr.write(`${line}\n`)))(
          `waiting up to ${timeoutSeconds} s for the DuckDB warehouse file ${path}: it is locked by another process (${holder})`,
        );
        told = true;
      }
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    }
  }
}

/** Leases the process's instance of a DuckDB file (':memory:' is a new database every time), opening it if no one has. */
export async function leaseDuckDbFile(file: string, options: DuckDbFileOptions = {}): Promise<DuckDbFileLease> {
  if (file === MEMORY) {
    const instance = await DuckDBInstance.create(MEMORY);
    const writes = new SerialQueue();
    return { instance, serializeWrite: (write) => writes.run(write), release: () => instance.closeSync() };
  }
  const path = resolve(file);
  const state = stateOf(path);
  await state.access.acquire('shared');
  state.leases += 1;
  let instance: DuckDBInstance;
  let opening: Promise<DuckDBInstance> | null = null;
  try {
    if (state.instance === null) {
      mkdirSync(dirname(path), { recursive: true });
      state.instance = createWaitingForLock(path, options);
    }
    opening = state.instance;
    instance = await opening;
  } catch (error) {
    if (state.instance === opening) state.instance = null;
    state.leases -= 1;
    state.access.release('shared');
    throw error;
  }
  let released = false;
  return {
    instance,
    serializeWrite: (write) => state.writes.run(write),
    release: () => {
      if (released) return;
      released = true;
      state.leases -= 1;
      if (state.leases === 0) {
        instance.closeSync();
        state.instance = null;
      }
      state.access.release('shared');
    },
  };
}

/**
 * Runs `use` (another process working on the file, e.g. dbt) once every lease of the file in this
 * process has been returned and its instance closed; opens wait until it is done.
 */
export async function withDuckDbFileReleased<T>(file: string, use: () => Promise<T>): Promise<T> {
  if (file === MEMORY) return use();
  const state = stateOf(resolve(file));
  await state.access.acquire('exclusive');
  try {
    return await use();
  } finally {
    state.access.release('exclusive');
  }
}
