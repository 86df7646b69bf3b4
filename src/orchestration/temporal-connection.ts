/**
 * How this process reaches Temporal: a local dev server by default, a real cluster (or Temporal Cloud)
 * by configuration only — TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { z } from 'zod';

export const temporalSettingsSchema = z.object({
  address: z.string().min(1).default('localhost:7233'),
  namespace: z.string().min(1).default('default'),
  /** Temporal Cloud API key; implies TLS. */
  apiKey: z.string().min(1).optional(),
  tls: z.boolean().default(false),
}).strict();
export type TemporalSettings = z.infer<typeof temporalSettingsSchema>;

/** The settings from the environment, or null when TEMPORAL_ADDRESS is not set (no cluster configured). */
export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings | null {
  if (!env.TEMPORAL_ADDRESS) return null;
  return temporalSettingsSchema.parse({
    address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE, apiKey: env.TEMPORAL_API_KEY,
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

/** Workers log warnings and errors only, so that progress lines stay readable; installed once per process. */
function installRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export async function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  installRuntime();
  return NativeConnection.connect(connectionOptions(settings));
}
