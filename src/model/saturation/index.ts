/**
 * The saturation families: adding one is its own file (see family.ts) plus one entry in `families`.
 * The config schema's `saturation` enum and `model.priors` entries, the parameter layout, the model's
 * kernels, the transforms and prior sampling all read this list.
 */
import { hill } from './hill.ts';
import { linear } from './linear.ts';
import { logistic } from './logistic.ts';
import { michaelisMenten } from './michaelis-menten.ts';

const families = [hill, logistic, michaelisMenten, linear] as const;

export type SaturationFamilies = (typeof families)[number];
export type SaturationKind = SaturationFamilies['name'];

/** The config names, for the schema's enum. */
export const SATURATION_KINDS = families.map((family) => family.name) as [SaturationKind, ...SaturationKind[]];

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

const settingKeys = families.flatMap((family) => Object.keys(family.priorSettings));
if (new Set(settingKeys).size !== settingKeys.length)
  throw new Error(`saturation families share a model.priors key: ${settingKeys.join(', ')}`);

/** Every family's `model.priors` entries in one zod shape. */
export const saturationPriorSettings = Object.assign({}, ...families.map((family) => family.priorSettings)) as Intersection<
  SaturationFamilies['priorSettings']
>;

const byName = new Map<string, SaturationFamilies>(families.map((family) => [family.name, family]));

/** The family a config name denotes (the enum admits no other name). */
export function saturationFamily(kind: SaturationKind): SaturationFamilies {
  const family = byName.get(kind);
  if (!family) throw new Error(`unknown saturation '${kind}': expected one of ${SATURATION_KINDS.join(', ')}`);
  return family;
}
