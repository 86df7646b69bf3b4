/**
 * Which run store a worker uses: Google Cloud Storage when a `gs://bucket/prefix` URI is given
 * (`MMM_RUNS_URI`), else the local directory (`MMM_RUNS_DIR`).
 */
import { z } from 'zod';
import { GcsRunStore, type GcsRunStoreLocation } from './gcs-run-store.ts';
import { LocalRunStore } from './local-run-store.ts';
import type { RunStore } from './run-store.ts';

/** gs://<bucket>[/<prefix>]: a bucket name as GCS allows it, an optional object prefix. */
const GCS_URI = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221}[a-z0-9])(?:\/(.*))?$/;

export const runsUriSchema = z
  .string()
  .regex(GCS_URI, 'expected gs://<bucket>/<prefix> (a Google Cloud Storage bucket and an optional object prefix)');

export function gcsLocationFromUri(uri: string, endpoint?: string): GcsRunStoreLocation {
  const [, bucket, prefix] = GCS_URI.exec(runsUriSchema.parse(uri))!;
  return { bucket: bucket!, prefix: (prefix ?? '').replace(/^\/+|\/+$/g, ''), ...(endpoint === undefined ? {} : { endpoint }) };
}

export interface RunStorageSettings {
  /** The local runs directory, used when `runsUri` is not set. */
  runsDir: string;
  /** gs://bucket/prefix: runs in Google Cloud Storage. */
  runsUri?: string;
  /** The storage API's base URL when it is not Google's (an emulator). */
  gcsEndpoint?: string;
}

export function openRunStore(settings: RunStorageSettings): RunStore {
  return settings.runsUri === undefined
    ? new LocalRunStore(settings.runsDir)
    : new GcsRunStore(gcsLocationFromUri(settings.runsUri, settings.gcsEndpoint));
}
