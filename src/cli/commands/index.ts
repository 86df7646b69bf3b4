/** Every `mmm` command, in the order `mmm --help` lists them. */
import type { CliCommand } from '../command.ts';
import { exploreCommand } from './explore.ts';
import { fitCommand } from './fit.ts';
import { optimizeCommand } from './optimize.ts';

export const commands: CliCommand[] = [fitCommand, exploreCommand, optimizeCommand];
