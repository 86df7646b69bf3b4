/**
 * The contract every `mmm <command>` module fulfils. Commands parse their own flags with
 * node:util parseArgs, print human output by default and machine-readable output with --json.
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

/** An error in how the command was called (bad or missing flag); printed with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
