/** Every `mmm` command, in the order `mmm --help` lists them. */
import type { CliCommand } from '../command.ts';

export const commands: CliCommand[] = [];
