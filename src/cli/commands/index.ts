/** Every `mmm` command, in the order `mmm --help` lists them. */
import type { CliCommand } from '../command.ts';
import { loadResponseSource } from '../../analysis/mmm-response-source.ts';
import { dashboardCommand } from './dashboard.ts';
import { demoCommand } from './demo.ts';
import { exploreCommand } from './explore.ts';
import { fitCommand } from './fit.ts';
import { generateDemoDataCommand } from './generate-demo-data.ts';
import { migrateCommand } from './migrate.ts';
import { optimizeCommand } from './optimize.ts';
import { publishCommand } from './publish.ts';
import { retrainCommand } from './retrain.ts';
import { scheduleCommand } from './schedule.ts';
import { createSurfaceCommand } from './surface.ts';
import { workerCommand } from './worker.ts';

export const commands: CliCommand[] = [demoCommand, fitCommand, createSurfaceCommand(loadResponseSource), exploreCommand, optimizeCommand, publishCommand, workerCommand, retrainCommand, scheduleCommand, generateDemoDataCommand, migrateCommand, dashboardCommand];
