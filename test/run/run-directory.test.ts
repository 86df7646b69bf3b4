import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { panelToJson } from '../../src/data/panel-json.ts';
import { commitRun, RunStateError, writeArtefact } from '../../src/io/run-manifest.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';
import { POSTERIOR_FORMAT, readFitRun } from '../../src/run/run-directory.ts';

describe('readFitRun', () => {
  const { panel, config } = simulateDataset({ geos: 3, weeks: 40, channels: 2, controls: 1, seed: 4, noiseSd: 0.3 });
  const model = createMmmModel(panel, config);
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Commits a run of one draw whose posterior has the coordinates `names`. */
  const commitPosterior = (names: string[]): string => {
    const dir = mkdtempSync(join(tmpdir(), 'mmm-run-directory-'));
    dirs.push(dir);
    const theta = new Float64Array(names.length);
    const bytes = new Uint8Array(theta.buffer);
    const header = {
      format: POSTERIOR_FORMAT,
      nChains: 1,
      drawsPerChain: 1,
      dim: names.length,
      parameterNames: names,
      byteLength: bytes.byteLength,
      config,
      panel: panelToJson(panel),
    };
    commitRun(dir, [writeArtefact(dir, 'posterior.bin', bytes), writeArtefact(dir, 'posterior.json', JSON.stringify(header))]);
    return dir;
  };

  it("reads a posterior whose coordinates are the model's, with the model", () => {
    const stored = readFitRun(commitPosterior(model.layout.names));
    expect(stored.model.layout.names).toEqual(model.layout.names);
    expect(stored.posterior.dim).toBe(model.dim);
  });

  it('refuses a posterior of an earlier parameterisation (one media deviation per geo) instead of misreading it', () => {
    // Before the geo contrasts, a geo model had G x C beta_dev[geo,channel] coordinates where it now has (G - 1) x C.
    const { G, C } = model.data;
    const { mediaContrast } = model.layout;
    const perGeo = Array.from({ length: G * C }, (_, i) => `beta_dev[geo${Math.floor(i / C)},ch${i % C}]`);
    const names = [...model.layout.names.slice(0, mediaContrast), ...perGeo, ...model.layout.names.slice(mediaContrast + (G - 1) * C)];
    const dir = commitPosterior(names);
    expect(() => readFitRun(dir)).toThrow(RunStateError);
    expect(() => readFitRun(dir)).toThrow(/fitted by an earlier version of the model: fit it again/);
  });
});
