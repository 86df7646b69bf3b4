/** Where `mmm worker`, `mmm retrain` and `mmm schedule` find Temporal: TEMPORAL_* variables, else a local dev server's default address. */
import { temporalSettingsFromEnv, temporalSettingsSchema, type TemporalSettings } from '../orchestration/temporal-connection.ts';

export const temporalSettings = (): TemporalSettings => temporalSettingsFromEnv() ?? temporalSettingsSchema.parse({});

export const TEMPORAL_ENVIRONMENT_HELP = `Environment:
  TEMPORAL_ADDRESS     Temporal frontend host:port (default localhost:7233, e.g. a dev server)
  TEMPORAL_NAMESPACE   namespace (default 'default')
  TEMPORAL_API_KEY     Temporal Cloud API key (implies TLS); TEMPORAL_TLS=true for mTLS-less TLS`;
