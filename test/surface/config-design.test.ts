/**
 * The scenario design comes from the model config's `surface` section: a config with a coarse design
 * gives a surface with exactly the scenarios that design enumerates, a config without the section the
 * defaults, and an explicit design (a caller's override) wins over the config's.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import type { SurfaceDesign } from '../../src/config/schema.ts';
import type { ChannelResponseSource } from '../../src/surface/response-source.ts';
import { surfaceDesignSchema } from '../../src/surface/scenario-design.ts';
import { buildSurfaceRun } from '../../src/surface/surface-run.ts';
import { FIVE_CHANNELS, randomCurveSource } from '../support/known-curve-source.ts';

const DEMO_CONFIG = new URL('../../examples/demo.json', import.meta.url);
const COARSE = { budgetLevels: { from: 0, to: 2, step: 0.25 }, perturbations: [-0.2, 0.2], simplexSamples: 16, cornerWeights: [1] };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmm-config-design-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configWith(name: string, surface: unknown): Promise<string> {
  const demo = JSON.parse(await readFile(DEMO_CONFIG, 'utf8')) as Record<string, unknown>;
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(surface === undefined ? demo : { ...demo, surface }));
  return path;
}

/** A known-curve source of the five test channels carrying `design` as a run's source carries its config's. */
function sourceWith(design: SurfaceDesign): ChannelResponseSource {
  return Object.assign(randomCurveSource({ channels: FIVE_CHANNELS, nDraws: 50, seed: 5 }), { design });
}

describe('the scenario design of the model config (its surface section)', () => {
  it('a coarse design gives 1 + 8 x 32 scenarios: 9 budget levels, 1 + 5 x 2 + 16 + 5 x 1 mixes', async () => {
    const config = loadConfig(await configWith('coarse', COARSE));
    expect(config.surface).toEqual(COARSE);
    const summary = await buildSurfaceRun(sourceWith(config.surface), join(dir, 'coarse-run'), { runId: 'coarse' });
    // Level 0 holds the current mix only; every other level crosses all mixes.
    expect(summary.scenarios).toBe(1 + 8 * (1 + 5 * 2 + 16 + 5 * 1));
    expect(summary.allocations).toBe(5 * summary.scenarios);
    const manifest = JSON.parse(await readFile(join(dir, 'coarse-run', 'surface', 'surface.json'), 'utf8')) as { design: unknown };
    expect(manifest.design).toEqual(COARSE);
  });

  it('a config without the section has the default design (41 levels x 287 mixes for five channels)', async () => {
    const config = loadConfig(await configWith('default', undefined));
    expect(config.surface).toEqual(surfaceDesignSchema.parse({}));
    expect(config.surface.budgetLevels).toEqual({ from: 0, to: 2, step: 0.05 });
  });

  it("a design given by the caller wins over the config's", async () => {
    const config = loadConfig(await configWith('override', COARSE));
    const summary = await buildSurfaceRun(sourceWith(config.surface), join(dir, 'override-run'), {
      runId: 'override',
      design: { ...COARSE, budgetLevels: { from: 0, to: 1, step: 0.5 } },
    });
    expect(summary.scenarios).toBe(1 + 2 * 32);
  });

  it('refuses a bad design naming the field', async () => {
    const path = await configWith('bad', { ...COARSE, simplexSamples: -1 });
    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(() => loadConfig(path)).toThrow(/surface\.simplexSamples/);
  });
});
