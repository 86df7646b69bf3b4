/**
 * How this process reaches Temporal: a local dev server by default, a real cluster (or Temporal Cloud)
 * by configuration only — TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { z } from 'zod';

export const temporalSettingsSchema = z
  .object({
    address: z.string().min(1).default('localhost:7233'),
    namespace: z.string().min(1).default('default'),
    /** Temporal Cloud API key; implies TLS. */
    apiKey: z.string().min(1).optional(),
    tls: z.boolean().default(false),
  })
  .strict();
export type TemporalSettings = z.infer<typeof temporalSettingsSchema>;

/** The settings from the environment, or null when TEMPORAL_ADDRESS is not set (no cluster configured). */
export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings | null {
  if (!env.TEMPORAL_ADDRESS) return null;
  return temporalSettingsSchema.parse({
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    apiKey: env.TEMPORAL_API_KEY,
    tls: env.TEMPORAL_TLS === undefined ? undefined : ['1', 'true', 'yes'].includes(env.TEMPORAL_TLS.toLowerCase()),
  });
}

const connectionOptions = (settings: TemporalSettings) => ({
  address: settings.address,
  ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
  ...(settings.tls || settings.apiKey ? { tls: true } : {}),
});

export async function connectClient(settings: TemporalSettings): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(settings));
  return new Client({ connection, namespace: settings.namespace });
}

let runtimeInstalled = false;

/**
 * The SDK logs at `level` and above (WARN for a long-running worker; ERROR in the demo, whose progress
 * lines would drown in retry warnings); installed once per process, before the first connection.
 */
export async function connectWorker(settings: TemporalSettings, level: 'WARN' | 'ERROR' = 'WARN'): Promise<NativeConnection> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger(level) });
    runtimeInstalled = true;
  }
  return NativeConnection.connect(connectionOptions(settings));
}
