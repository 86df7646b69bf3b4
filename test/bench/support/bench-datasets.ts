/**
 * The datasets the sampler-efficiency benchmarks fit (issue 13, acceptance 1 and 2): Meridian's national
 * data, the PyMC example, three national datasets of the frozen study generator (fixed seeds, every
 * model option at the product's default) and Meridian's 40-geo data. The reference data keep the
 * model options of their example configs.
 */
import type { MmmConfig } from '../../../src/config/schema.ts';
import { loadFitInputs } from '../../../src/data/load-fit-inputs.ts';
import type { Panel } from '../../../src/data/panel.ts';
import { exampleConfig, referenceFile } from '../../support/reference-data.ts';
import { generateStudyDataset, studyDatasetSpecs } from './study-datasets.ts';

export interface BenchDataset {
  name: string;
  national: boolean;
  load: () => { panel: Panel; config: MmmConfig };
}

const reference = (name: string, data: string, config: string, national: boolean): BenchDataset => ({
  name,
  national,
  load: () => loadFitInputs(referenceFile(data), exampleConfig(config)),
});

/** The study's first three national datasets: no trend (104 weeks), smooth (130), piecewise (156); seeds 9100-9102. */
const synthetic = (index: number): BenchDataset => ({
  name: `synthetic-${index + 1}`,
  national: true,
  load: () => {
    const spec = studyDatasetSpecs().filter((s) => s.geos === 1)[index];
    const { panel, config } = generateStudyDataset(spec);
    return { panel, config };
  },
});

export const BENCH_DATASETS: readonly BenchDataset[] = [
  reference('meridian-national', 'meridian/national_all_channels.csv', 'meridian-national.json', true),
  reference('pymc', 'pymc-marketing/mmm_example.csv', 'pymc-example.json', true),
  synthetic(0),
  synthetic(1),
  synthetic(2),
  reference('meridian-geo', 'meridian/geo_all_channels.csv', 'meridian-geo.json', false),
];

export const NATIONAL_BENCH_DATASETS = BENCH_DATASETS.filter((d) => d.national);
