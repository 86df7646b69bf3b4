/** How the BigQuery warehouse is configured, and from which environment variables. */
import { z } from 'zod';
import { type EngineVariables, sqlIdentifier } from '../engine.ts';

export const bigqueryConfigSchema = z
  .object({
    engine: z.literal('bigquery'),
    projectId: z.string().min(1),
    dataset: sqlIdentifier.default('mmm'),
    location: z.string().min(1).default('US'),
    /** Another endpoint than Google's (e.g. a local emulator). */
    apiEndpoint: z.url().optional(),
    /** 'application-default': standard Google auth (ADC); 'none': no credentials (emulators only). */
    auth: z.enum(['application-default', 'none']).default('application-default'),
  })
  .strict();

export type BigQueryWarehouseConfig = z.infer<typeof bigqueryConfigSchema>;

/** MMM_BIGQUERY_PROJECT (required), MMM_BIGQUERY_DATASET, MMM_BIGQUERY_LOCATION, MMM_BIGQUERY_API_ENDPOINT, MMM_BIGQUERY_AUTH (application-default | none). */
export const bigqueryVariables: EngineVariables<BigQueryWarehouseConfig> = {
  projectId: { variable: 'MMM_BIGQUERY_PROJECT' },
  dataset: { variable: 'MMM_BIGQUERY_DATASET' },
  location: { variable: 'MMM_BIGQUERY_LOCATION' },
  apiEndpoint: { variable: 'MMM_BIGQUERY_API_ENDPOINT' },
  auth: { variable: 'MMM_BIGQUERY_AUTH' },
};
