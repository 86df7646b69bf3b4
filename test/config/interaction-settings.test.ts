/**
 * Synergy pairs (issue 16, scope item 5): a pair naming an unknown channel, the same channel twice, a pair
 * given twice (either order) and more pairs than one per WEEKS_PER_INTERACTION training weeks are each refused,
 * naming the pair; the loader refuses the first three, the model's data (which knows the weeks) all four.
 */
import { describe, expect, it } from 'vitest';
import { WEEKS_PER_INTERACTION, interactionPairProblems } from '../../src/config/interaction-settings.ts';
import { ConfigError, parseConfig } from '../../src/config/load-config.ts';
import { DataValidationError } from '../../src/data/errors.ts';
import { buildModelData } from '../../src/model/model-data.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const channels = ['tv', 'search', 'social'];

const withPairs = (interactions: unknown) => ({
  data: { date: 'date', kpi: 'y', channels: channels.map((name) => ({ name, spend: name })) },
  model: { interactions },
});

function configProblems(interactions: unknown): string[] {
  try {
    parseConfig(withPairs(interactions), 'config.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('model.interactions in the config', () => {
  it('accepts distinct pairs of known channels, with no synergies and a free sign by default', () => {
    const config = parseConfig(
      withPairs([
        ['tv', 'search'],
        ['social', 'tv'],
      ]),
      'config.json',
    );
    expect(config.model.interactions).toEqual([
      ['tv', 'search'],
      ['social', 'tv'],
    ]);
    expect(config.model.priors.interaction).toEqual({ scale: 0.5, sign: 'free' });
    expect(parseConfig({ data: withPairs([]).data }, 'config.json').model.interactions).toEqual([]);
  });

  it('refuses a pair naming an unknown channel, naming the pair and the channel', () => {
    expect(configProblems([['tv', 'radio']])).toEqual([
      `model.interactions[0] ["tv", "radio"]: unknown channel 'radio'; channels are tv, search, social`,
    ]);
  });

  it('refuses a pair naming the same channel twice', () => {
    expect(
      configProblems([
        ['tv', 'search'],
        ['social', 'social'],
      ]),
    ).toEqual([`model.interactions[1] ["social", "social"]: names channel 'social' twice; a synergy is between two different channels`]);
  });

  it('refuses a pair given twice, in either order, naming both places', () => {
    expect(
      configProblems([
        ['tv', 'search'],
        ['search', 'tv'],
      ]),
    ).toEqual([`model.interactions[1] ["search", "tv"]: the same pair as model.interactions[0] ["tv", "search"]; give each pair once`]);
    expect(
      configProblems([
        ['tv', 'search'],
        ['tv', 'search'],
      ]),
    ).toHaveLength(1);
  });

  it('refuses a pair that is not two channel names', () => {
    expect(configProblems([['tv']]).join('\n')).toMatch(/^model\.interactions\[0\]/);
    expect(configProblems([['tv', 'search', 'social']]).join('\n')).toMatch(/^model\.interactions\[0\]/);
  });

  it('refuses a prior scale that is not positive and an unknown sign', () => {
    const problems = (interaction: unknown) => {
      try {
        parseConfig({ ...withPairs([['tv', 'search']]), model: { interactions: [['tv', 'search']], priors: { interaction } } }, 'c.json');
      } catch (error) {
        if (error instanceof ConfigError) return error.problems.join('\n');
        throw error;
      }
      return '';
    };
    expect(problems({ scale: 0 })).toMatch(/^model\.priors\.interaction\.scale/);
    expect(problems({ sign: 'positive' })).toMatch(/^model\.priors\.interaction\.sign/);
    expect(problems({ scale: 0.5, sign: 'non_negative' })).toBe('');
  });
});

describe('the limit of one pair per WEEKS_PER_INTERACTION training weeks', () => {
  it('allows floor(weeks / 20) pairs and refuses one more, naming the first pair past the limit', () => {
    const pairs: [string, string][] = [
      ['tv', 'search'],
      ['tv', 'social'],
      ['search', 'social'],
    ];
    expect(interactionPairProblems(pairs.slice(0, 2), channels, 2 * WEEKS_PER_INTERACTION)).toEqual([]);
    expect(interactionPairProblems(pairs, channels, 3 * WEEKS_PER_INTERACTION - 1)).toEqual([
      `model.interactions[2] ["search", "social"]: 3 pairs need at least 60 training weeks (20 a pair), the data have 59, so at most 2 pairs; drop pairs or use more weeks`,
    ]);
  });

  it('is enforced by the model data on the training weeks (the holdout does not count)', () => {
    const sim = simulateDataset({ geos: 1, weeks: 60, channels: 3, controls: 0, seed: 3, noiseSd: 0.3, model: { maxLag: 2 } });
    const pairs: [string, string][] = [
      ['ch0', 'ch1'],
      ['ch0', 'ch2'],
      ['ch1', 'ch2'],
    ];
    const config = (holdoutWeeks: number) => ({ ...sim.config, model: { ...sim.config.model, holdoutWeeks, interactions: pairs } });
    expect(buildModelData(sim.panel, config(0)).interactions).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    let error: unknown;
    try {
      buildModelData(sim.panel, config(1));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DataValidationError);
    expect((error as DataValidationError).message).toContain(
      'model.interactions[2] ["ch1", "ch2"]: 3 pairs need at least 60 training weeks',
    );
  });

  it('is checked by the model data for configs built in code, which skip the loader', () => {
    const sim = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 0, seed: 3, noiseSd: 0.3, model: { maxLag: 2 } });
    const config = { ...sim.config, model: { ...sim.config.model, interactions: [['ch0', 'ch0']] as [string, string][] } };
    expect(() => buildModelData(sim.panel, config)).toThrow(`model.interactions[0] ["ch0", "ch0"]: names channel 'ch0' twice`);
  });
});
