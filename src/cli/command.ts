/**
 * The contract every `mmm <command>` module fulfils. Commands parse their own flags with
 * node:util parseArgs, print human output by default and machine-readable output with --json.
 */
export interface CliCommand {
  name: string;
  /** One line shown by `mmm --help`. */
  summary: string;
  /** Full `--help` text. */
  usage: string;
  /** Returns the process exit code. Throw typed errors; main prints them. */
  run(args: string[]): Promise<number>;
}

/** An error in how the command was called (bad or missing flag); printed with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
