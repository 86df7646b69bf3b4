/**
 * The checked layering of the code (docs/architecture.md): `npm run lint` runs dependency-cruiser with
 * this file. Type-only imports count (tsPreCompilationDeps): a type is a dependency like any other.
 *
 * LAYERS lists every folder of src/ (and activities/, workflows/) from the bottom up; a module may import
 * from its own layer and the layers below it, never from a layer above. Folders and modules form no
 * cycles. Code the workflow bundle runs stays deterministic: no Node built-ins, no npm packages but the
 * workflow-safe ones (the Temporal samples' lint rule, as a dependency rule).
 */

/** Bottom to top; folders in one entry share a layer. docs/architecture.md explains the order. */
const LAYERS = [
  { name: 'foundation', paths: ['src/io/', 'src/math/'] },
  { name: 'inference', paths: ['src/inference/'] },
  // The media curve families and their priors: the config schema reads their names and prior settings.
  { name: 'model-families', paths: ['src/model/priors/', 'src/model/saturation/', 'src/model/adstock/', 'src/model/pooling/'] },
  { name: 'config', paths: ['src/config/'] },
  { name: 'data', paths: ['src/data/'] },
  { name: 'model', paths: ['src/model/(?!(priors|saturation|adstock|pooling)/)'] },
  { name: 'fit-analysis', paths: ['src/fit/', 'src/analysis/'] },
  { name: 'surface', paths: ['src/surface/'] },
  { name: 'explore', paths: ['src/explore/'] },
  { name: 'warehouse', paths: ['src/warehouse/'] },
  { name: 'run', paths: ['src/run/'] },
  { name: 'demo-data-dashboard', paths: ['src/demo-data/', 'src/dashboard/'] },
  { name: 'workflow-contracts', paths: ['src/workflow-contracts/'] },
  { name: 'activities', paths: ['activities/'] },
  { name: 'workflows', paths: ['workflows/'] },
  { name: 'orchestration', paths: ['src/orchestration/'] },
  { name: 'cli', paths: ['src/cli/'] },
];

const layerPaths = (layer) => layer.paths.map((path) => `^${path}`);

const upwardImportRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name}-imports-upward`,
  comment: `${layer.paths.join(', ')} may import only from its own layer and below (docs/architecture.md)`,
  severity: 'error',
  from: { path: layerPaths(layer) },
  to: { path: LAYERS.slice(index + 1).flatMap(layerPaths) },
}));

/** Modules the workflow bundle may load (their value imports stay inside this set). */
const WORKFLOW_BUNDLE = [
  '^workflows/',
  '^src/workflow-contracts/',
  '^src/config/sampler-config\\.ts$',
  '^src/config/horizon-settings\\.ts$',
  '^src/inference/sampler-settings\\.ts$',
];
/** npm packages safe in workflow code: Temporal's workflow API and its common types, and zod. */
const WORKFLOW_SAFE_PACKAGES = ['(^|/)node_modules/@temporalio/(workflow|common)/', '(^|/)node_modules/zod/'];

module.exports = {
  forbidden: [
    ...upwardImportRules,
    {
      name: 'unlayered-module',
      comment: 'every folder of src/ (and activities/, workflows/) belongs to a layer: add it to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^(src|activities|workflows)/', pathNot: LAYERS.flatMap(layerPaths) },
      to: {},
    },
    {
      name: 'no-folder-cycles',
      comment: 'folders import each other one way only',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'modules import each other one way only',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-product',
      comment: 'test-only code lives under test/ and the product never imports it',
      severity: 'error',
      from: { path: '^(src|activities|workflows)/' },
      to: { path: '^test/' },
    },
    {
      name: 'workflow-determinism',
      comment:
        'code the workflow bundle runs must be deterministic: no Node built-ins, no npm packages but ' +
        '@temporalio/workflow, @temporalio/common and zod, no modules outside the workflow bundle (type-only imports are erased and allowed)',
      severity: 'error',
      from: { path: WORKFLOW_BUNDLE },
      to: { pathNot: [...WORKFLOW_BUNDLE, ...WORKFLOW_SAFE_PACKAGES], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^dist/' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
