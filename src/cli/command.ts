/**
 * The contract every `mmm <command>` module fulfils. Commands parse their own flags (flags.ts), print
 * human output by default and machine-readable output with --json, and throw typed errors: main prints
 * every error the same way (the message, naming the flag, file, column, row or value, then the hint)
 * and turns it into one of the exit statuses below.
 */
export interface CliCommand {
  /** Full `--help` text. */
  usage: string;
  /** Returns the process exit code. Throw typed errors; main prints them. */
  run(args: string[]): Promise<number>;
}

/**
 * A command as `mmm --help` lists it. `load` imports the command's module, and with it the libraries
 * that command needs (DuckDB, Temporal, tfjs, Vega, ...), only when the command runs: importing them
 * all takes seconds, so `mmm --help` would otherwise be slow.
 */
export interface CommandListing {
  name: string;
  /** One line shown by `mmm --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

/** Exit statuses of every command. */
export const EXIT = {
  ok: 0,
  /** Refused input (data, config, run directory, warehouse) or a failure; nothing was written. */
  refused: 1,
  /** How the command was called: unknown command or flag, missing flag, flag value out of range. */
  usage: 2,
  /**
   * A run refused by its gates: `mmm fit` whose diagnostics failed (summary.json is written; the run holds
   * no posterior), or `mmm publish` that recorded the run as rejected (never promoted).
   */
  gateRefused: 3,
} as const;

/** The exit statuses as every `--help` shows them. */
export const EXIT_STATUS_HELP = `Exit status:
  ${EXIT.ok}  success
  ${EXIT.refused}  refused input or a failure: the message names the file, column, row or value; nothing was written
  ${EXIT.usage}  usage error: unknown command or flag, missing flag, flag value out of range
  ${EXIT.gateRefused}  a run refused by its gates: mmm fit's diagnostics failed (summary.json written, no posterior),
     or mmm publish recorded the run as rejected (not promoted)`;

/** An error in how the command was called (bad, missing or unknown flag): exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
