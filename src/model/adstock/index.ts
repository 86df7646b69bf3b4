/**
 * The adstock families: adding one is its own file (see family.ts) plus one entry in `families`.
 * The config schema's `adstock` enum, the parameter layout, the model's kernels, the transforms and
 * prior sampling all read this list.
 */
import { binomial } from './binomial.ts';
import { geometric } from './geometric.ts';

const families = [geometric, binomial] as const;

export type AdstockFamilies = (typeof families)[number];
export type AdstockKind = AdstockFamilies['name'];

/** The config names, for the schema's enum. */
export const ADSTOCK_KINDS = families.map((family) => family.name) as [AdstockKind, ...AdstockKind[]];

const byName = new Map<string, AdstockFamilies>(families.map((family) => [family.name, family]));

/** The family a config name denotes (the enum admits no other name). */
export function adstockFamily(kind: AdstockKind): AdstockFamilies {
  const family = byName.get(kind);
  if (!family) throw new Error(`unknown adstock '${kind}': expected one of ${ADSTOCK_KINDS.join(', ')}`);
  return family;
}
