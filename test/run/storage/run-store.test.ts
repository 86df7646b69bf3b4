/**
 * Run storage on a local directory and on Google Cloud Storage (fake-gcs-server on loopback, which
 * honours generation preconditions): the run-commit protocol through a workspace, listing runs, shared
 * files, two writers of one run, a retried save, and runs read back from GCS equal to the same runs stored locally.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearRun, commitRun, RUN_MANIFEST_FILE, verifyRun, writeArtefact } from '../../../src/io/run-manifest.ts';
import { GcsRunStore } from '../../../src/run/storage/gcs-run-store.ts';
import { LocalRunStore } from '../../../src/run/storage/local-run-store.ts';
import { gcsLocationFromUri, openRunStore } from '../../../src/run/storage/open-run-store.ts';
import { type RunStore, RunStoreConflictError, withRunWorkspace } from '../../../src/run/storage/run-store.ts';
import { GCS_EMULATOR_START_BOUND_MS, type RunningGcsEmulator, startGcsEmulator } from '../../support/gcs-emulator.ts';

const BUCKET = 'mmm-runs';
let emulator: RunningGcsEmulator;
let localRoot: string;
let prefixCount = 0;

beforeAll(async () => {
  emulator = await startGcsEmulator();
  await emulator.createBucket(BUCKET);
  localRoot = mkdtempSync(join(tmpdir(), 'mmm-run-store-'));
}, GCS_EMULATOR_START_BOUND_MS + 10_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(localRoot, { recursive: true, force: true });
});

/** A store on a prefix of its own, so tests do not see each other's runs. */
const gcsStore = () => new GcsRunStore({ bucket: BUCKET, prefix: `runs/t${++prefixCount}`, endpoint: emulator.host });
const localStore = () => new LocalRunStore(join(localRoot, `t${++prefixCount}`));

/** Writes a run's artefacts with the run-commit protocol, the manifest last; `seed` makes the bytes differ between runs. */
function writeRun(dir: string, seed: string): void {
  const files = [
    writeArtefact(dir, 'summary.json', JSON.stringify({ seed })),
    writeArtefact(dir, 'posterior.bin', new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * seed.length) % 251))),
    writeArtefact(dir, 'input/model-input.json', JSON.stringify({ seed, nested: true })),
  ];
  commitRun(dir, files);
}

/** Every file under `dir` with its bytes, by '/'-separated path. */
async function filesUnder(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/');
    files[path] = readFileSync(join(entry.parentPath, entry.name)).toString('base64');
  }
  return files;
}

const storeKinds: [string, () => RunStore][] = [
  ['local directory', localStore],
  ['Google Cloud Storage', gcsStore],
];

describe.each(storeKinds)('run storage on a %s', (_, makeStore) => {
  it('stores a run written in a workspace; a fresh workspace reads it back committed and intact', async () => {
    const store = makeStore();
    await withRunWorkspace(store, 'run-a', { save: true }, (dir) => writeRun(dir, 'a'));
    const manifest = await withRunWorkspace(store, 'run-a', { save: false }, (dir) => verifyRun(dir));
    expect(manifest.files.map((f) => f.path).sort()).toEqual(['input/model-input.json', 'posterior.bin', 'summary.json']);
  });

  it('lists committed runs only: not a run without its manifest, not shared files', async () => {
    const store = makeStore();
    await withRunWorkspace(store, 'run-2', { save: true }, (dir) => writeRun(dir, 'two'));
    await withRunWorkspace(store, 'run-1', { save: true }, (dir) => writeRun(dir, 'one'));
    await withRunWorkspace(store, 'run-unfinished', { save: true }, (dir) => {
      writeArtefact(dir, 'summary.json', '{}');
    });
    await store.writeShared('plan-answers/p1.json', '[]');
    expect(await store.listRuns()).toEqual(['run-1', 'run-2']);
  });

  it('keeps a shared file for another activity to read by its location', async () => {
    const store = makeStore();
    const location = await store.writeShared('plan-answers/plan-7.json', '{"rows":[1,2]}');
    expect(location).toContain('plan-answers/plan-7.json');
    expect(await openRunStoreLike(store).readShared(location)).toBe('{"rows":[1,2]}');
    await expect(store.readShared('/etc/hostname')).rejects.toThrow('is not');
  });

  it('propagates a re-commit: the old manifest withdrawn, removed files gone, the new run committed', async () => {
    const store = makeStore();
    await withRunWorkspace(store, 'run-r', { save: true }, (dir) => {
      writeRun(dir, 'first');
      writeArtefact(dir, 'chunks/000-of-2.jsonl', 'x\n');
    });
    await withRunWorkspace(store, 'run-r', { save: true }, (dir) => {
      clearRun(dir);
      writeRun(dir, 'second');
    });
    const stored = await withRunWorkspace(store, 'run-r', { save: false }, async (dir) => {
      verifyRun(dir);
      return filesUnder(dir);
    });
    expect(Object.keys(stored).sort()).toEqual(['input/model-input.json', 'manifest.json', 'posterior.bin', 'summary.json']);
    expect(Buffer.from(stored['summary.json']!, 'base64').toString()).toBe('{"seed":"second"}');
  });
});

/** The same store as a worker on another machine opens it: from its settings, sharing nothing but the bucket or directory. */
function openRunStoreLike(store: RunStore): RunStore {
  if (store instanceof LocalRunStore) return openRunStore({ runsDir: store.root });
  const uri = store.locate('x').slice(0, -'/x'.length);
  return openRunStore({ runsDir: '/nonexistent', runsUri: uri, gcsEndpoint: emulator.host });
}

describe('run storage on Google Cloud Storage: the commit protocol', () => {
  it('stores nothing of a workspace whose work failed', async () => {
    const store = gcsStore();
    await expect(
      withRunWorkspace(store, 'run-failed', { save: true }, (dir) => {
        writeRun(dir, 'failed');
        throw new Error('the fit crashed');
      }),
    ).rejects.toThrow('the fit crashed');
    expect(await withRunWorkspace(store, 'run-failed', { save: false }, (dir) => filesUnder(dir))).toEqual({});
  });

  it('writes the manifest after every artefact it names (object generations ascend in write order)', async () => {
    const store = gcsStore();
    await withRunWorkspace(store, 'run-order', { save: true }, (dir) => writeRun(dir, 'order'));
    const location = gcsLocationFromUri(store.locate('run-order'));
    const [objects] = await new Storage({ apiEndpoint: emulator.host }).bucket(location.bucket).getFiles({ prefix: `${location.prefix}/` });
    const generation = (name: string) => BigInt(String(objects.find((o) => o.name.endsWith(`/${name}`))!.metadata.generation));
    const manifestGeneration = generation(RUN_MANIFEST_FILE);
    for (const path of ['summary.json', 'posterior.bin', 'input/model-input.json']) {
      expect(generation(path) < manifestGeneration, path).toBe(true);
    }
  });

  it('refuses a second writer of one run: its manifest is not committed over the first, with a clear error', async () => {
    const store = gcsStore();
    const first = await store.open('run-race');
    const second = await store.open('run-race');
    try {
      commitRun(first.dir, [writeArtefact(first.dir, 'summary.json', '{"writer":1}')]);
      commitRun(second.dir, [writeArtefact(second.dir, 'analysis.json', '{"writer":2}')]);
      await first.save();
      const refusal = await second.save().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(RunStoreConflictError);
      expect((refusal as Error).message).toMatch(
        /manifest\.json already holds a different run manifest \(another writer committed this run\)/,
      );
    } finally {
      await first.close();
      await second.close();
    }
    const manifest = await withRunWorkspace(store, 'run-race', { save: false }, (dir) => verifyRun(dir));
    expect(manifest.files.map((f) => f.path)).toEqual(['summary.json']);
  });

  it('refuses a second writer of one artefact before it reaches the manifest', async () => {
    const store = gcsStore();
    const first = await store.open('run-artefact-race');
    const second = await store.open('run-artefact-race');
    try {
      writeRun(first.dir, 'one');
      writeRun(second.dir, 'other');
      await first.save();
      await expect(second.save()).rejects.toThrow(/already holds other bytes, written after this activity read the run/);
    } finally {
      await first.close();
      await second.close();
    }
    const stored = await withRunWorkspace(store, 'run-artefact-race', { save: false }, async (dir) => {
      verifyRun(dir);
      return readFileSync(join(dir, 'summary.json'), 'utf8');
    });
    expect(stored).toBe('{"seed":"one"}');
  });

  it('accepts a retried save that finds its own commit already stored (same bytes)', async () => {
    const store = gcsStore();
    const attempt = await store.open('run-retry');
    const retry = await store.open('run-retry');
    let attemptManifest = '';
    try {
      writeRun(attempt.dir, 'retry');
      // The retry of the same write: the same bytes, from a workspace opened before the first attempt's save.
      for (const [path, base64] of Object.entries(await filesUnder(attempt.dir))) {
        await mkdir(join(retry.dir, path, '..'), { recursive: true });
        writeFileSync(join(retry.dir, path), Buffer.from(base64, 'base64'));
      }
      attemptManifest = readFileSync(join(attempt.dir, RUN_MANIFEST_FILE), 'utf8');
      await attempt.save();
      await retry.save();
    } finally {
      await attempt.close();
      await retry.close();
    }
    expect(await store.listRuns()).toEqual(['run-retry']);
    const stored = await withRunWorkspace(store, 'run-retry', { save: false }, (dir) => {
      verifyRun(dir);
      return readFileSync(join(dir, RUN_MANIFEST_FILE), 'utf8');
    });
    expect(stored).toBe(attemptManifest);
  });

  it('reads back every file equal to the same runs stored in a local directory', async () => {
    const gcs = gcsStore();
    const local = localStore();
    for (const store of [gcs, local]) {
      for (const runId of ['run-x', 'run-y']) {
        await withRunWorkspace(store, runId, { save: true }, (dir) => {
          writeRun(dir, runId);
          writeArtefact(dir, 'surface/components.bin', new Uint8Array([1, 2, 3, runId.length]));
        });
      }
    }
    expect(await gcs.listRuns()).toEqual(await local.listRuns());
    for (const runId of ['run-x', 'run-y']) {
      const [fromGcs, fromLocal] = await Promise.all(
        [gcs, local].map((store) => withRunWorkspace(store, runId, { save: false }, (dir) => filesUnder(dir))),
      );
      // The manifests differ only by their commit time; every artefact is byte for byte the same.
      const withoutManifest = (files: Record<string, string>) =>
        Object.fromEntries(Object.entries(files).filter(([p]) => p !== RUN_MANIFEST_FILE));
      expect(withoutManifest(fromGcs!)).toEqual(withoutManifest(fromLocal!));
      expect(Object.keys(fromGcs!).sort()).toEqual(Object.keys(fromLocal!).sort());
    }
  });
});

describe('MMM_RUNS_URI', () => {
  it('names a bucket and an optional prefix', () => {
    expect(gcsLocationFromUri('gs://mmm-runs')).toEqual({ bucket: 'mmm-runs', prefix: '' });
    expect(gcsLocationFromUri('gs://mmm-runs/team/a/', 'http://127.0.0.1:1')).toEqual({
      bucket: 'mmm-runs',
      prefix: 'team/a',
      endpoint: 'http://127.0.0.1:1',
    });
  });

  it('refuses what is not a gs:// URI of a bucket, saying what it expects', () => {
    for (const uri of ['/mnt/runs', 's3://bucket/runs', 'gs://', 'gs://UPPER/runs']) {
      expect(() => gcsLocationFromUri(uri), uri).toThrow('expected gs://<bucket>/<prefix>');
    }
  });
});
