/**
 * Linear response: h = u, no diminishing returns. For checks where the model should be linear in the media
 * coefficient (the experiments' conjugate check, test/bench/experiment-calibration.bench.ts) and for channels
 * whose spend never reached saturation. The curve has no parameter; its shape coordinate (the layout keeps one
 * per channel) carries a LogNormal(0, 1) prior that the likelihood never sees, as the unused slope coordinate
 * of a curve without an exponent does (media-curves.ts), keeping the posterior proper.
 */
import type { z } from 'zod';
import { logNormal } from '../priors/scalar-prior.ts';
import { defineSaturation } from './family.ts';

const unusedShape = logNormal(0, 1);

// No entries under `model.priors` (the curve has no parameter): typed as any shape, so that the registry's
// intersection of every family's settings stays the other families' settings.
export const linear = defineSaturation<'linear', z.ZodRawShape>({
  name: 'linear',
  priorSettings: {},
  shape: { name: 'linear_unused', prior: () => unusedShape },
  value: (u) => u,
  addAtFactors(u, v, factors, _shape, _slope, weight, acc) {
    const F = factors.length;
    for (let i = 0; i < F; i++) acc[i] += weight * (factors[i] * u + (1 - factors[i]) * v);
  },
  series(u, offset, n, _shape, _slope, value, dInput, dShape, dSlope) {
    const end = offset + n;
    for (let i = offset; i < end; i++) {
      value[i] = u[i];
      dInput[i] = 1;
      dShape[i] = 0;
      dSlope[i] = 0;
    }
  },
});
