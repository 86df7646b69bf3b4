/** `mmm init`: a CSV -> a starting config guessed from its header and values, with the reason for each guess. */
import { readFileSync, writeFileSync } from 'node:fs';
import { EXIT, UsageError, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { parseConfig } from '../../config/load-config.ts';
import { CsvSyntaxError, parseCsv, type CsvTable } from '../../data/csv.ts';
import { describeCsvFormat } from '../../data/csv-format.ts';
import { DataValidationError } from '../../data/errors.ts';
import { guessConfig, type Guess } from '../../data/guess-config.ts';
import { panelFromCsv } from '../../data/load-fit-inputs.ts';
import { panelDims } from '../../data/panel.ts';

const usage = `Usage: mmm init --data FILE.csv --out CONFIG.json [--kpi COLUMN] [--force]

Writes a starting config for 'mmm fit' from the CSV's header and values: the date column and its
format, the KPI (a column named like sales, revenue, conversions, ...), one channel per spend column
("TV Cost") with the media column of the same name ("TV GRPs") when there is one, the other numeric
columns as controls, and how the file is written (delimiter, decimal separator, daily or weekly).
It prints every guess and why; check them before fitting.

Options:
  --data FILE     the CSV (wide: one row per week or day, per geo for geo data)
  --out FILE      the config to write (refused if it exists, unless --force)
  --kpi COLUMN    the KPI column, when its name does not say
  --force         overwrite --out`;

function readTable(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataValidationError(path, [{ message: `cannot read the data file (${(error as Error).message})` }]);
  }
  try {
    return parseCsv(text, path);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new DataValidationError(path, [{ row: error.line, message: `CSV syntax: ${error.detail}` }]);
    throw error;
  }
}

function formatGuesses(guesses: Guess[]): string {
  const width = Math.max(...guesses.map((guess) => guess.role.length));
  const subjectWidth = Math.max(...guesses.map((guess) => guess.subject.length));
  return guesses.map((guess) => `  ${guess.role.padEnd(width)}  ${guess.subject.padEnd(subjectWidth)}  ${guess.why}`).join('\n');
}

export const initCommand: CliCommand = {
  usage,
  async run(args) {
    const values = parseFlags(args, {
      data: { type: 'string' },
      out: { type: 'string' },
      kpi: { type: 'string' },
      force: { type: 'boolean', default: false },
    });
    if (!values.data || !values.out) throw new UsageError('--data and --out are required');
    const table = readTable(values.data);
    const guessed = guessConfig(table, values.kpi);
    if ('refusal' in guessed) throw new DataValidationError(values.data, guessed.refusal);
    // The guess must be a valid config; a failure here is a bug in the guessing, not in the user's file.
    const config = parseConfig(guessed.config, values.out);

    try {
      writeFileSync(values.out, `${JSON.stringify(guessed.config, null, 2)}\n`, { flag: values.force ? 'w' : 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UsageError(`${values.out} already exists; pass --force to overwrite it`);
      throw error;
    }
    process.stdout.write(
      `Read ${values.data}: ${table.rows.length} rows; ${describeCsvFormat(guessed.format, guessed.detected)}\n` +
        `${formatGuesses(guessed.guesses)}\nWrote ${values.out}\n`,
    );

    // Check the data the way 'mmm fit' will, so that problems show now rather than at the first fit.
    try {
      const panel = panelFromCsv(readFileSync(values.data, 'utf8'), config, values.data);
      const { G, T, C, K } = panelDims(panel);
      process.stdout.write(
        `The data passes the checks of 'mmm fit': ${G > 1 ? `${G} geos x ` : ''}${T} weeks, ${C} channels, ${K} controls.\n` +
          `Check the guesses above, then: mmm fit --data ${values.data} --config ${values.out} --out runs/first\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof DataValidationError)) throw error;
      process.stderr.write(`mmm init: wrote ${values.out}, but 'mmm fit' would refuse the data as it stands:\n${error.message}\n`);
      return EXIT.refused;
    }
  },
};
