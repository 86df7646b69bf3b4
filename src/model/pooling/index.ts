import { centredPooling } from './centred.ts';
import { nonCentredPooling } from './non-centred.ts';
import type { PoolingForm, PoolingKind } from './pooling-form.ts';

export type { PooledTerm, PoolingForm, PoolingKind } from './pooling-form.ts';
export { newPooledTerm } from './pooling-form.ts';

const forms: Record<PoolingKind, PoolingForm> = { centred: centredPooling, non_centred: nonCentredPooling };

/** The config names, for the schema's enum (`model.geoPooling` adds 'auto'). */
export const POOLING_KINDS = Object.keys(forms) as [PoolingKind, ...PoolingKind[]];

export function poolingForm(kind: PoolingKind): PoolingForm {
  return forms[kind];
}
