/**
 * Colours of the dashboard. Channels take the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
 * Design"), distinguishable under the common colour-vision deficiencies; its yellow is last because
 * it is hard to read on white. Increases and decreases are blue and vermillion, never red and green.
 */
export const CHANNEL_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

export const BASELINE_COLOUR = '#A0A0A0';
export const INCREASE_COLOUR = '#0072B2';
export const DECREASE_COLOUR = '#D55E00';
export const INK = '#1F1F1F';
export const MUTED_INK = '#555555';

/** Channel -> colour, stable across runs: channels are coloured in alphabetical order. */
export function channelColourScale(channels: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...channels].sort();
  return { domain, range: domain.map((_, i) => CHANNEL_COLOURS[i % CHANNEL_COLOURS.length]) };
}
