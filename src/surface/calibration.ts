/**
 * Calibration and scale alignment (DESIGN.md section 4): one outcome factor k anchors the baseline
 * scenario (every channel at its historical spend, f = 1) to the observed total over the reporting window,
 * k = observed total / posterior-mean outcome of the baseline scenario. Calibrated values are k x raw, so
 * ratios between scenarios are unchanged. A k outside the band means the model does not explain the
 * window, and the run is refused.
 */
import { z } from 'zod';
import type { ReportingWindow } from './components.ts';
import type { ResponseCurves } from './response-curves.ts';

export const calibrationBandSchema = z
  .object({
    lower: z.number().positive().default(0.8),
    upper: z.number().positive().default(1.25),
  })
  .strict()
  .refine((b) => b.lower < b.upper, { message: 'calibration band needs lower < upper' });

export type CalibrationBand = z.infer<typeof calibrationBandSchema>;

export const calibrationSchema = z
  .object({
    factor: z.number().positive(),
    band: z.object({ lower: z.number().positive(), upper: z.number().positive() }).strict(),
    window: z.object({ start: z.iso.date(), end: z.iso.date() }).strict(),
    observedTotal: z.number(),
    /** Posterior-mean raw outcome of the baseline scenario over the window. */
    baselineScenarioMean: z.number(),
  })
  .strict();

export type Calibration = z.infer<typeof calibrationSchema>;

/** What explore and optimize work on: the per-draw curves and the factor that calibrates them. */
export interface CalibratedCurves {
  curves: ResponseCurves;
  calibration: Calibration;
}

export class CalibrationError extends Error {
  constructor(
    readonly factor: number,
    readonly band: CalibrationBand,
    readonly window: ReportingWindow,
    observedTotal: number,
    modelled: number,
  ) {
    super(
      `calibration factor k = ${factor.toPrecision(4)} is outside the band [${band.lower}, ${band.upper}] for the window ` +
        `${window.start}..${window.end}: observed total ${observedTotal.toPrecision(6)}, the model's baseline scenario ` +
        `${modelled.toPrecision(6)}; the model does not explain this window`,
    );
    this.name = 'CalibrationError';
  }
}

/** Posterior mean over draws of baseline_d + sum_c g_{c,d}(historical spend_c). */
export function baselineScenarioMean(curves: ResponseCurves): number {
  const draws = new Float64Array(curves.nDraws);
  curves.outcomeDraws(curves.historicalSpend, draws);
  return draws.reduce((sum, v) => sum + v, 0) / curves.nDraws;
}

/** k = observed / baseline-scenario mean; throws CalibrationError when k is not within the band. */
export function calibrate(curves: ResponseCurves, band: CalibrationBand): Calibration {
  const modelled = baselineScenarioMean(curves);
  const factor = curves.observedTotal / modelled;
  if (!(factor >= band.lower && factor <= band.upper)) {
    throw new CalibrationError(factor, band, curves.window, curves.observedTotal, modelled);
  }
  return { factor, band: { ...band }, window: { ...curves.window }, observedTotal: curves.observedTotal, baselineScenarioMean: modelled };
}
