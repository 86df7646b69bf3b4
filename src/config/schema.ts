/**
 * The model configuration (DESIGN.md section 7): what the wide CSV holds, how the model is shaped,
 * and how the sampler runs. Every field has a default so a config only states what differs.
 */
import { z } from 'zod';
import { experimentsSchema } from './experiment-config.ts';
import { DATE_FORMATS, DECIMAL_SEPARATORS, FREQUENCIES, WEEKDAYS } from './csv-formats.ts';
import { horizonSettingsSchema } from './horizon-settings.ts';
import { interactionPriorSchema, interactionsSchema } from './interaction-settings.ts';
import { samplerSchema } from './sampler-config.ts';
import { ADSTOCK_KINDS } from '../model/adstock/index.ts';
import { SATURATION_KINDS, saturationPriorSettings } from '../model/saturation/index.ts';
import { POOLING_KINDS } from '../model/pooling/index.ts';

export const adstockKindSchema = z.enum(ADSTOCK_KINDS);
export const saturationKindSchema = z.enum(SATURATION_KINDS);
/** How each geo's residuals e_t = y_t - mu_t relate over weeks (model.residuals, below). */
export const residualsSchema = z.enum(['independent', 'ar1']);

/** ROI prior (Meridian default LogNormal(0.2, 0.9)); beta is derived so incremental outcome = ROI x spend. */
export const roiPriorSchema = z
  .object({
    type: z.literal('roi'),
    mu: z.number().default(0.2),
    sigma: z.number().positive().default(0.9),
    /** Restrict the ROI to an experiment window (lift test): ISO dates, inclusive. */
    window: z.object({ start: z.iso.date(), end: z.iso.date() }).strict().optional(),
  })
  .strict();

/** Coefficient prior: the media coefficient (geo mean on the log scale) ~ HalfNormal(scale), as Meridian's beta_m. */
export const coefficientPriorSchema = z
  .object({
    type: z.literal('coefficient'),
    scale: z.number().positive().default(5),
  })
  .strict();

export const mediaPriorSchema = z.discriminatedUnion('type', [roiPriorSchema, coefficientPriorSchema]);

export const channelSchema = z
  .object({
    name: z.string().min(1),
    /** Column with spend in currency. */
    spend: z.string().min(1),
    /** Optional column with media units (impressions, GRPs); the response is modelled on it, ROI on spend. */
    media: z.string().min(1).nullable().default(null),
    adstock: adstockKindSchema.optional(),
    saturation: saturationKindSchema.optional(),
    prior: mediaPriorSchema.optional(),
  })
  .strict();

export const dataSchema = z
  .object({
    date: z.string().min(1),
    geo: z.string().min(1).nullable().default(null),
    population: z.string().min(1).nullable().default(null),
    kpi: z.string().min(1),
    kpiType: z.enum(['revenue', 'non_revenue']).default('revenue'),
    revenuePerKpi: z.string().min(1).nullable().default(null),
    channels: z.array(channelSchema).min(1),
    controls: z.array(z.string().min(1)).default([]),
    /** How the file is written; each field left out is detected (src/data/csv-format.ts). */
    csv: z
      .object({
        /** Field delimiter, one character (",", ";", "\t", "|", ...). */
        delimiter: z.string().length(1).optional(),
        decimal: z.enum(DECIMAL_SEPARATORS).optional(),
      })
      .strict()
      .default({}),
    /** How the date column is written; detected when left out. ISO weeks ("2024-W05") are read as their Monday. */
    dateFormat: z.enum(DATE_FORMATS).optional(),
    /** One row per week or per day; daily rows are summed into weeks. Detected from the dates when left out. */
    frequency: z.enum(FREQUENCIES).optional(),
    /** The day weeks start on when daily rows are summed into weeks (Monday: ISO 8601 weeks). */
    weekStart: z.enum(WEEKDAYS).default('monday'),
  })
  .strict();

export const priorsSchema = z
  .object({
    media: mediaPriorSchema.default({ type: 'roi', mu: 0.2, sigma: 0.9 }),
    /** Each saturation family's own entries (Hill's ec and slope, ...), declared in src/model/saturation/<family>.ts. */
    ...saturationPriorSettings,
    /** Geo spread of media effects eta ~ HalfNormal(scale). */
    eta: z
      .object({ scale: z.number().positive().default(1) })
      .strict()
      .default({ scale: 1 }),
    /** Residual sd sigma ~ HalfNormal(scale). */
    sigma: z
      .object({ scale: z.number().positive().default(5) })
      .strict()
      .default({ scale: 5 }),
    /** Knot values, geo intercepts tau and control coefficients gamma ~ Normal(0, scale). */
    baseline: z
      .object({ scale: z.number().positive().default(5) })
      .strict()
      .default({ scale: 5 }),
    /** Fourier coefficients ~ Normal(0, scale). */
    seasonality: z
      .object({ scale: z.number().positive().default(1) })
      .strict()
      .default({ scale: 1 }),
    /** Geo spread of the trend: each geo's knot contrasts deviate from the shared ones by trend_spread z, trend_spread ~ HalfNormal(scale). */
    trendSpread: z
      .object({ scale: z.number().positive().default(1) })
      .strict()
      .default({ scale: 1 }),
    /** Geo spread of control coefficients xi ~ HalfNormal(scale). */
    xi: z
      .object({ scale: z.number().positive().default(5) })
      .strict()
      .default({ scale: 5 }),
    /** Each synergy pair's coefficient (model.interactions): Normal(0, scale), or HalfNormal(scale) with sign 'non_negative'. */
    interaction: interactionPriorSchema.default(interactionPriorSchema.parse({})),
  })
  .strict();

export const modelSchema = z
  .object({
    adstock: adstockKindSchema.default('geometric'),
    maxLag: z.number().int().min(0).max(52).default(8),
    saturation: saturationKindSchema.default('hill'),
    hillSlope: z.enum(['fixed', 'learned']).default('fixed'),
    seasonality: z
      .object({
        /** Fourier harmonics of the yearly pattern; 3 resolve a peak a few weeks wide such as Black Friday to Christmas (docs/model.md). */
        harmonics: z.number().int().min(0).max(10).default(3),
        period: z.number().positive().default(52.18),
        /**
         * Whether each harmonic's coefficients drift linearly over the training window (amplitude and, to first order,
         * phase): a season that grows with the business or moves by a few weeks over the years (docs/model.md).
         */
        drift: z.boolean().default(true),
      })
      .strict()
      .default({ harmonics: 3, period: 52.18, drift: true }),
    /**
     * Number of knots of the piecewise-linear time effect; 1 is a constant level (no trend). Default, national and
     * geo alike: round(weeks / 52) + 1, at least 2 (src/model/model-data.ts, defaultKnots; docs/model.md).
     */
    knots: z.number().int().min(1).optional(),
    /**
     * Geo models: 'pooled' gives each geo its own trend, partially pooled towards the shared one (regions grow
     * at different rates); 'shared' is one trend for every geo (Meridian's convention). National models ignore it.
     */
    geoTrend: z.enum(['pooled', 'shared']).default('pooled'),
    /**
     * Geo models: how the per-geo control coefficients and trends are pooled, 'centred' or 'non_centred' (the same
     * model, a different geometry for the sampler), or 'auto': per block, centred when each geo's own data pin
     * its coefficients more tightly than the geos differ (src/model/pooling/choose-pooling.ts).
     */
    geoPooling: z.enum(['auto', ...POOLING_KINDS]).default('auto'),
    likelihood: z.enum(['normal', 'student_t']).default('normal'),
    studentTDof: z.number().positive().default(5),
    /**
     * The residuals e_t = y_t - mu_t of each geo's series: 'independent' weeks, or 'ar1', e_t = phi e_{t-1} + nu_t with
     * one phi ~ Uniform(-1, 1) for every geo (src/model/residual-ar1.ts; docs/model.md). The normal likelihood only
     * (src/config/load-config.ts refuses "ar1" with "student_t"). Default: "ar1" under the normal likelihood,
     * "independent" under Student-t (below).
     */
    residuals: residualsSchema.optional(),
    sigmaPerGeo: z.boolean().default(false),
    holdoutWeeks: z.number().int().min(0).default(0),
    /**
     * Channel synergies: pairs of channel names whose saturated, adstocked media interact, theta_cd h_c h_d
     * (src/config/interaction-settings.ts; at most one pair per 20 training weeks). None by default.
     */
    interactions: interactionsSchema,
    priors: priorsSchema.default(priorsSchema.parse({})),
  })
  .strict()
  // Residuals correlated from week to week unless told otherwise: what a baseline misses moves slowly, and weeks read
  // as independent claim more information than the data hold (docs/model.md, "AR(1) residuals").
  .transform((model) => ({ ...model, residuals: model.residuals ?? (model.likelihood === 'normal' ? 'ar1' : 'independent') }));

/**
 * Which scenarios the enumerated surface holds (DESIGN.md section 4, src/surface/scenario-design.ts):
 * budget levels (fractions of the historical total) crossed with allocation mixes — the current mix,
 * local perturbations of it, low-discrepancy samples over the simplex, and channel-heavy corners.
 * A coarser design gives a smaller surface (fewer rows to publish) at the cost of a coarser explorer.
 */
export const surfaceDesignSchema = z
  .object({
    /** Budget levels as fractions of the historical total: from, from + step, ..., to. */
    budgetLevels: z
      .object({
        from: z.number().min(0).default(0),
        to: z.number().positive().default(2),
        step: z.number().positive().default(0.05),
      })
      .strict()
      .refine((l) => l.from <= l.to, { message: 'budget levels need from <= to' })
      .default({ from: 0, to: 2, step: 0.05 }),
    /** Relative changes to one channel's share (the others absorb them in proportion). */
    perturbations: z.array(z.number().gt(-1)).default([-0.25, -0.1, 0.1, 0.25]),
    /** Halton points mapped to the simplex. */
    simplexSamples: z.number().int().min(0).default(256),
    /** Weight on one channel in the corner mixes w e_c + (1 - w) current; 1 is the single-channel plan. */
    cornerWeights: z.array(z.number().gt(0).max(1)).default([1, 0.5]),
  })
  .strict();

export const mmmConfigSchema = z
  .object({
    data: dataSchema,
    model: modelSchema.default(modelSchema.parse({})),
    sampler: samplerSchema.default(samplerSchema.parse({})),
    surface: surfaceDesignSchema.default(surfaceDesignSchema.parse({})),
    /** Forward planning: the horizon, flighting, trend continuation and carry-over (src/config/horizon-settings.ts). */
    plan: horizonSettingsSchema.default(horizonSettingsSchema.parse({})),
    /** Lift tests that calibrate the fit, each a likelihood term (src/config/experiment-config.ts). */
    experiments: experimentsSchema,
  })
  .strict();

export type AdstockKind = z.infer<typeof adstockKindSchema>;
export type SaturationKind = z.infer<typeof saturationKindSchema>;
export type MediaPrior = z.infer<typeof mediaPriorSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
export type DataConfig = z.infer<typeof dataSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;
export type SurfaceDesign = z.infer<typeof surfaceDesignSchema>;
export type MmmConfig = z.infer<typeof mmmConfigSchema>;
export type MmmConfigInput = z.input<typeof mmmConfigSchema>;
