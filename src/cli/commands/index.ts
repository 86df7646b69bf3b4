/** Every `mmm` command, in the order `mmm --help` lists them; each module is imported when its command runs. */
import type { CommandListing } from '../command.ts';

export const commands: CommandListing[] = [
  {
    name: 'demo',
    summary: 'run the whole pipeline end to end on demo data through Temporal (dbt, DuckDB, fit, surface, optimizer)',
    load: async () => (await import('./demo.ts')).demoCommand,
  },
  {
    name: 'init',
    summary: 'write a starting config for a CSV, guessing the date, KPI, channels and controls',
    load: async () => (await import('./init.ts')).initCommand,
  },
  {
    name: 'fit',
    summary: 'fit the Bayesian MMM to a CSV and write summary.json plus the posterior',
    load: async () => (await import('./fit.ts')).fitCommand,
  },
  {
    name: 'surface',
    summary: 'Build the calibrated scenario surface of a fitted run',
    load: async () => {
      const [{ createSurfaceCommand }, { loadResponseSource }] = await Promise.all([
        import('./surface.ts'),
        import('../../run/mmm-response-source.ts'),
      ]);
      return createSurfaceCommand(loadResponseSource);
    },
  },
  {
    name: 'explore',
    summary: 'Score allocations, marginal returns, frontier and goal seek from a stored surface',
    load: async () => (await import('./explore.ts')).exploreCommand,
  },
  {
    name: 'optimize',
    summary: 'Recommend a budget allocation (exact optimum, alternatives, constraints)',
    load: async () => (await import('./optimize.ts')).optimizeCommand,
  },
  {
    name: 'plan',
    summary: 'plan a budget over the weeks after the data: allocation, weekly forecast, goal, timing',
    load: async () => (await import('./plan.ts')).planCommand,
  },
  {
    name: 'publish',
    summary: 'publish a fitted run to the warehouse (gated and promoted as retrain does)',
    load: async () => (await import('./publish.ts')).publishCommand,
  },
  {
    name: 'worker',
    summary: 'run Temporal workers for the retrain, optimize and plan workflows',
    load: async () => (await import('./worker.ts')).workerCommand,
  },
  {
    name: 'retrain',
    summary: 'start (and follow) the retrain workflow of a model on Temporal',
    load: async () => (await import('./retrain.ts')).retrainCommand,
  },
  {
    name: 'schedule',
    summary: 'create, pause, unpause, trigger or delete the weekly retrain schedule of a model',
    load: async () => (await import('./schedule.ts')).scheduleCommand,
  },
  {
    name: 'generate-demo-data',
    summary: 'write demo raw platform exports and the truth they come from',
    load: async () => (await import('./generate-demo-data.ts')).generateDemoDataCommand,
  },
  {
    name: 'migrate',
    summary: 'create or update the warehouse output tables and views',
    load: async () => (await import('./migrate.ts')).migrateCommand,
  },
  {
    name: 'dashboard',
    summary: 'serve (or --export) the leadership dashboard of the current run',
    load: async () => (await import('./dashboard.ts')).dashboardCommand,
  },
];
