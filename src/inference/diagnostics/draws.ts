/**
 * The shape of MCMC output handed to the diagnostics: one Float64Array of draws per chain, every
 * chain the same length. Shape errors are programming errors upstream and are raised as such.
 */

/** Raised when draws or sampler statistics do not form a chains x draws rectangle the diagnostics can use. */
export class DiagnosticsInputError extends Error {
  override readonly name = 'DiagnosticsInputError';
}

/** Fewest draws per chain: each split half needs two draws for a within-chain variance (as ArviZ). */
const minDrawsPerChain = 4;

export interface DrawsShape {
  chains: number;
  draws: number;
}

/** Checks that `chains` is non-empty, rectangular and at least `minDrawsPerChain` long; `label` names the draws in errors. */
export function drawsShape(chains: readonly Float64Array[], label: string): DrawsShape {
  if (chains.length === 0) throw new DiagnosticsInputError(`${label}: no chains given`);
  const draws = chains[0].length;
  for (let c = 1; c < chains.length; c++) {
    if (chains[c].length !== draws) {
      throw new DiagnosticsInputError(`${label}: chain ${c} has ${chains[c].length} draws but chain 0 has ${draws}`);
    }
  }
  if (draws < minDrawsPerChain) {
    throw new DiagnosticsInputError(`${label}: ${draws} draws per chain; at least ${minDrawsPerChain} are needed`);
  }
  return { chains: chains.length, draws };
}

/** True when no draw is NaN or infinite. */
export function allFinite(chains: readonly Float64Array[]): boolean {
  for (const chain of chains) {
    for (let i = 0; i < chain.length; i++) if (!Number.isFinite(chain[i])) return false;
  }
  return true;
}
