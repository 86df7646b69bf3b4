/** A Panel as plain JSON (typed arrays as number arrays), for the run directory and the workflow's model input. */
import { z } from 'zod';
import type { Panel } from './panel.ts';

export const panelJsonSchema = z
  .object({
    geos: z.array(z.string()),
    dates: z.array(z.string()),
    channels: z.array(z.string()),
    controlNames: z.array(z.string()),
    kpiType: z.enum(['revenue', 'non_revenue']),
    kpi: z.array(z.number()),
    spend: z.array(z.number()),
    media: z.array(z.number()),
    controls: z.array(z.number()),
    population: z.array(z.number()),
    revenuePerKpi: z.array(z.number()).nullable(),
  })
  .strict();

export type PanelJson = z.infer<typeof panelJsonSchema>;

export const panelToJson = (p: Panel): PanelJson => ({
  geos: p.geos,
  dates: p.dates,
  channels: p.channels,
  controlNames: p.controlNames,
  kpiType: p.kpiType,
  kpi: Array.from(p.kpi),
  spend: Array.from(p.spend),
  media: Array.from(p.media),
  controls: Array.from(p.controls),
  population: Array.from(p.population),
  revenuePerKpi: p.revenuePerKpi ? Array.from(p.revenuePerKpi) : null,
});

export const panelFromJson = (p: PanelJson): Panel => ({
  geos: p.geos,
  dates: p.dates,
  channels: p.channels,
  controlNames: p.controlNames,
  kpiType: p.kpiType,
  kpi: Float64Array.from(p.kpi),
  spend: Float64Array.from(p.spend),
  media: Float64Array.from(p.media),
  controls: Float64Array.from(p.controls),
  population: Float64Array.from(p.population),
  revenuePerKpi: p.revenuePerKpi ? Float64Array.from(p.revenuePerKpi) : null,
});
