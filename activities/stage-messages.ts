/** What a stage thread (stage-worker.ts) is given and what it sends back to the activity (stage-thread.ts). */
import { z } from 'zod';

export const stageRequestSchema = z.object({ stage: z.string(), input: z.unknown() });
export type StageRequest = z.infer<typeof stageRequestSchema>;

export const stageMessageSchema = z.discriminatedUnion('type', [
  /** A heartbeat's details (the fit's FitHeartbeat), sent on by the activity. */
  z.object({ type: z.literal('progress'), progress: z.unknown() }),
  z.object({ type: z.literal('result'), result: z.unknown() }),
  z.object({ type: z.literal('error'), name: z.string(), message: z.string(), stack: z.string().optional() }),
]);

export type StageMessage = z.infer<typeof stageMessageSchema>;
