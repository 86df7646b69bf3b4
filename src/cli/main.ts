/** `mmm` entry point: dispatches to one module per command under ./commands, and prints every error one way. */
import { z } from 'zod';
import { EXIT, EXIT_STATUS_HELP, UsageError, type CliCommand, type CommandListing } from './command.ts';
import { commands } from './commands/index.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: mmm <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'mmm <command> --help' for a command's options.\n\n${EXIT_STATUS_HELP}\n`;
}

/** node:util parseArgs reports unknown flags and missing values as TypeErrors with these codes. */
const isParseArgsError = (error: unknown): error is Error =>
  error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');

/** The error's message; its causes too (Temporal wraps a workflow's failure: WorkflowFailedError -> ApplicationFailure -> ...). */
function describe(error: unknown): string {
  if (error instanceof z.ZodError) return `invalid value: ${z.prettifyError(error)}`;
  const chain: string[] = [];
  for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) {
    if (!chain.some((line) => line.endsWith(`: ${e instanceof Error ? e.message : ''}`))) chain.push(`${e.name}: ${e.message}`);
  }
  return chain.length > 0 ? chain.join('\n  caused by ') : String(error);
}

/** The synopsis of a command's usage (its first paragraph) and where the rest is: the hint after a usage error. */
const usageHint = (name: string, command: CliCommand): string =>
  `${command.usage.split('\n\n')[0]}\nRun 'mmm ${name} --help' for every option.`;

/** Message first, then the hint. */
function printError(prefix: string, message: string, hint?: string): void {
  process.stderr.write(`${prefix}: ${message}\n${hint === undefined ? '' : `${hint}\n`}`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return EXIT.ok;
  }
  if (name === undefined) {
    printError('mmm', 'no command given', help());
    return EXIT.usage;
  }
  const listing: CommandListing | undefined = commands.find((c) => c.name === name);
  if (!listing) {
    printError('mmm', `unknown command '${name}'`, help());
    return EXIT.usage;
  }
  const command = await listing.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n\n${EXIT_STATUS_HELP}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      printError(`mmm ${name}`, error.message, usageHint(name, command));
      return EXIT.usage;
    }
    printError(`mmm ${name}`, describe(error));
    return EXIT.refused;
  }
}

process.exitCode = await main(process.argv.slice(2));
