/**
 * Energy Bayesian fraction of missing information (E-BFMI; Betancourt 2016, "Diagnosing Suboptimal
 * Cotangent Disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695): how well momentum
 * resampling explores the marginal energy distribution. Low values (below about 0.3) mean the
 * sampler moves between energy level sets too slowly to explore the tails.
 */

/**
 * E-BFMI of one chain = sum_{n>=1} (E_n - E_{n-1})^2 / sum_n (E_n - mean E)^2 (Betancourt 2016;
 * as Stan and ArviZ). NaN when the energy never changes or the chain has fewer than two draws.
 */
export function ebfmi(energy: Float64Array): number {
  const n = energy.length;
  if (n < 2) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += energy[i];
  const mean = sum / n;
  let jumps = 0;
  let spread = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) jumps += (energy[i] - energy[i - 1]) ** 2;
    spread += (energy[i] - mean) ** 2;
  }
  // Identical energies give 0 / (rounding residue) rather than 0 / 0; the ratio means nothing then.
  return jumps === 0 ? Number.NaN : jumps / spread;
}
