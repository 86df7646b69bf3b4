/**
 * The experiments input (issue 17, scope 1 and 5): the CSV of `mmm fit --experiments` read with real files
 * through loadFitInputs, and every refusal naming its row — unknown channel or geo, window outside the data,
 * non-positive standard error, spend disagreeing with the data, a geo test in a national model, a test over an
 * ROI prior's window on the same channel — and conflicting tests flagged, not averaged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataValidationError } from '../../src/data/errors.ts';
import { loadFitInputs } from '../../src/data/load-fit-inputs.ts';
import { EXPERIMENT_SPEND_TOLERANCE } from '../../src/data/resolve-experiments.ts';
import { NATIONAL_CONFIG_FILE, syntheticRows, toCsv } from '../fixtures/data/synthetic-csv.ts';

const WEEKS = 30;
const HEADER = 'experiment_id,channel,geo,start,end,incremental_outcome,standard_error,spend';
const date = (t: number) => syntheticRows(WEEKS)[t].date;
/** TV spend of weeks a..b of the synthetic national data (1 + 5t mod 13). */
const tvSpend = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => 1 + ((5 * (a + k)) % 13)).reduce((x, y) => x + y, 0);

interface Files {
  data: string;
  config: string;
  experiments: string;
}

function writeFiles(experimentsCsv: string, config: object = NATIONAL_CONFIG_FILE, geos: string[] | null = null): Files {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-experiments-'));
  const files = { data: join(dir, 'data.csv'), config: join(dir, 'config.json'), experiments: join(dir, 'experiments.csv') };
  writeFileSync(files.data, toCsv(syntheticRows(WEEKS, geos)));
  writeFileSync(files.config, JSON.stringify(config));
  writeFileSync(files.experiments, experimentsCsv);
  return files;
}

function refusal(files: Files): string {
  try {
    loadFitInputs(files.data, files.config, files.experiments);
  } catch (error) {
    expect(error).toBeInstanceOf(DataValidationError);
    return (error as Error).message;
  }
  throw new Error('expected the experiments to be refused');
}

const goodRow = `tv-holdout,TV,,${date(10)},${date(15)},12.5,3,${tvSpend(10, 15)}`;

describe('the experiments CSV', () => {
  it('is read into the config: ids, national geo, window, estimate, counterfactual default 0', () => {
    const files = writeFiles(
      `${HEADER},counterfactual_spend\n${goodRow},\nradio-half,Radio,,${date(4)},${date(7)},3,1,${[4, 5, 6, 7].reduce((s, t) => s + ((3 * t) % 7), 0)},2\n`,
    );
    const { config, notes } = loadFitInputs(files.data, files.config, files.experiments);
    expect(config.experiments).toEqual([
      {
        id: 'tv-holdout',
        channel: 'TV',
        geo: null,
        start: date(10),
        end: date(15),
        incrementalOutcome: 12.5,
        standardError: 3,
        spend: tvSpend(10, 15),
        counterfactualSpend: 0,
      },
      expect.objectContaining({ id: 'radio-half', counterfactualSpend: 2 }),
    ]);
    expect(notes.join('\n')).toMatch(/2 experiments \(tv-holdout, radio-half\)/);
  });

  const bad: { label: string; csv: string; expected: RegExp[]; config?: object; geos?: string[] }[] = [
    {
      label: 'unknown channel',
      csv: `${HEADER}\n${goodRow}\nprint,Print,,${date(3)},${date(5)},1,1,1\n`,
      expected: [/row 3/, /'print'/, /unknown channel 'Print'/, /'TV', 'Radio'/],
    },
    {
      label: 'window outside the data',
      csv: `${HEADER}\nlate,TV,,${date(25)},2022-03-07,1,1,10\n`,
      expected: [/row 2/, /outside the data/, /2021-01-04/],
    },
    {
      label: 'zero standard error',
      csv: `${HEADER}\nzero,TV,,${date(10)},${date(15)},12.5,0,${tvSpend(10, 15)}\n`,
      expected: [/column 'standard_error', row 2/, /'0'/],
    },
    {
      label: 'negative standard error',
      csv: `${HEADER}\n${goodRow}\nneg,TV,,${date(1)},${date(2)},1,-2,${tvSpend(1, 2)}\n`,
      expected: [/column 'standard_error', row 3/, /'-2'/],
    },
    {
      label: 'spend disagreeing with the data',
      csv: `${HEADER}\nmuch,TV,,${date(10)},${date(15)},12.5,3,${tvSpend(10, 15) * 1.2}\n`,
      expected: [/column 'spend', row 2/, /differs from the data's/, new RegExp(`tolerance ${100 * EXPERIMENT_SPEND_TOLERANCE}%`)],
    },
    {
      label: 'geo test in a national model',
      csv: `${HEADER}\ngeo,TV,north,${date(10)},${date(15)},12.5,3,${tvSpend(10, 15)}\n`,
      expected: [/column 'geo', row 2/, /national model/],
    },
    {
      label: 'unknown geo in a geo model',
      csv: `${HEADER}\ngeo,TV,west,${date(10)},${date(15)},12.5,3,1\n`,
      config: {
        ...NATIONAL_CONFIG_FILE,
        data: { ...NATIONAL_CONFIG_FILE.data, geo: 'geo', population: 'population' },
      },
      geos: ['north', 'south'],
      expected: [/row 2/, /unknown geo 'west'/, /'north', 'south'/],
    },
    {
      label: 'a test over the ROI prior window of the same channel',
      csv: `${HEADER}\n${goodRow}\n`,
      config: {
        ...NATIONAL_CONFIG_FILE,
        data: {
          ...NATIONAL_CONFIG_FILE.data,
          channels: [
            { name: 'TV', spend: 'tv', prior: { type: 'roi', mu: 0.5, sigma: 0.3, window: { start: date(14), end: date(20) } } },
            { name: 'Radio', spend: 'radio' },
          ],
        },
      },
      expected: [/row 2/, /experiment 'tv-holdout'/, new RegExp(`ROI prior window ${date(14)}..${date(20)}`), /count twice/],
    },
    {
      label: 'an unreadable number',
      csv: `${HEADER}\nx,TV,,${date(10)},${date(15)},lots,3,5\n`,
      expected: [/column 'incremental_outcome', row 2/, /'lots'/],
    },
    {
      label: 'a missing column',
      csv: 'experiment_id,channel,geo,start,end,incremental_outcome,spend\nx,TV,,2021-01-04,2021-01-11,1,1\n',
      expected: [/column 'standard_error'/, /not found/],
    },
    { label: 'a repeated id', csv: `${HEADER}\n${goodRow}\n${goodRow}\n`, expected: [/row 3/, /used twice \(also row 2\)/] },
  ];

  it.each(bad)('refuses $label, naming the row', ({ csv, expected, config, geos }) => {
    const message = refusal(writeFiles(csv, config, geos ?? null));
    for (const pattern of expected) expect(message).toMatch(pattern);
  });

  it('flags conflicting tests of the same channel and window, keeping both', () => {
    const files = writeFiles(`${HEADER}\n${goodRow}\ntv-again,TV,,${date(10)},${date(15)},40,3,${tvSpend(10, 15)}\n`);
    const { config, notes } = loadFitInputs(files.data, files.config, files.experiments);
    expect(config.experiments.map((e) => e.id)).toEqual(['tv-holdout', 'tv-again']);
    expect(notes.join('\n')).toMatch(
      /warning: experiments 'tv-holdout' and 'tv-again' .* conflict: estimates 12.5 and 40 are 6.5 combined standard errors apart/,
    );
  });

  it('does not flag tests that agree within their errors', () => {
    const files = writeFiles(`${HEADER}\n${goodRow}\ntv-again,TV,,${date(10)},${date(15)},16,3,${tvSpend(10, 15)}\n`);
    expect(loadFitInputs(files.data, files.config, files.experiments).notes.join('\n')).not.toMatch(/conflict/);
  });
});
