/** `mmm` entry point: dispatches to one module per command under ./commands. */
import { UsageError, type CommandListing } from './command.ts';
import { commands } from './commands/index.ts';

function printHelp(): void {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  process.stdout.write(`Usage: mmm <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'mmm <command> --help' for a command's options.\n`);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name === undefined ? 1 : 0;
  }
  const listing: CommandListing | undefined = commands.find((c) => c.name === name);
  if (!listing) {
    process.stderr.write(`mmm: unknown command '${name}'\n`);
    printHelp();
    return 1;
  }
  const command = await listing.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mmm ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    // Temporal wraps a workflow's failure (WorkflowFailedError -> ApplicationFailure -> ...): show the whole chain.
    const chain: string[] = [];
    for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) {
      if (!chain.some((line) => line.endsWith(`: ${e instanceof Error ? e.message : ''}`))) chain.push(`${e.name}: ${e.message}`);
    }
    const message = chain.length > 0 ? chain.join('\n  caused by ') : String(error);
    process.stderr.write(`mmm ${name}: ${message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
