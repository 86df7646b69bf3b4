/**
 * The datasets of the per-geo recovery benchmark (issue 15, acceptance 3), frozen before the benchmark
 * ran: twenty synthetic 10-geo panels drawn from the model's own generative process
 * (src/model/simulate.ts), so every geo's media effect comes from the model's hierarchy
 * (beta[g,c] = B_c exp(eta_c eps[g,c]), eta_c and eps drawn from their priors) and every per-geo ROI is
 * known exactly. Spends are flighted per geo around population-scaled levels; 4 or 5 channels, 2 years
 * of weeks, one control, the product's default model otherwise (one harmonic, as the simulation study,
 * keeps the baseline from swamping the media in data drawn from the priors).
 */
import type { SimulationSpec } from '../../../src/model/simulate.ts';

export interface GeoRecoverySpec extends SimulationSpec {
  id: string;
}

export function geoRecoverySpecs(): GeoRecoverySpec[] {
  return Array.from({ length: 20 }, (_, i) => ({
    id: `geo10-${String(i + 1).padStart(2, '0')}`,
    geos: 10,
    weeks: 104,
    channels: i % 2 === 0 ? 4 : 5,
    controls: 1,
    seed: 9700 + i,
    noiseSd: 0.3,
    model: { seasonality: { harmonics: 1 } },
  }));
}
