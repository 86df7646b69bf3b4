/**
 * Another process holding a DuckDB file's lock: `node --import tsx hold-duckdb-file.ts FILE` opens
 * the file, prints "holding" once DuckDB has locked it, and keeps it until it is killed or its
 * stdin closes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const SELF = fileURLToPath(import.meta.url);

export interface FileHolder {
  pid: number;
  /** Ends the holder and waits until it has exited (the lock is free then). */
  stop(): Promise<void>;
}

/** Starts a holder of the file and resolves once the file is locked. */
export async function holdDuckDbFile(file: string): Promise<FileHolder> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SELF, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((done, fail) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('holding')) done();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the holder of ${file} exited with ${code}: ${output}`)));
  });
  return {
    pid: child.pid ?? -1,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[1] === SELF) {
  const instance = await DuckDBInstance.create(process.argv[2]);
  await instance.connect();
  process.stdout.write('holding\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
