/**
 * Worker-thread entry of `sampleParallel`: rebuilds the target from its spec once, then runs every chain
 * index the main thread sends, forwarding progress and transferring the draws back without a copy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTarget } from './log-density.ts';
import { type ChainResult, type ChainWorkerMessage, chainWorkerDataSchema, runChainMessageSchema, sampleChain } from './sampler.ts';

if (parentPort === null) throw new Error('chain-worker.ts runs only as a worker thread started by sampleParallel');
const port = parentPort;
const { spec, settings } = chainWorkerDataSchema.parse(workerData);
const target = await loadTarget(spec);

const post = (message: ChainWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

function resultBuffers(result: ChainResult): ArrayBuffer[] {
  const arrays = [
    result.draws,
    result.logDensity,
    result.divergent,
    result.treeDepth,
    result.energy,
    result.acceptStat,
    result.nLeapfrog,
    result.inverseMetric,
    result.metric.diagonal,
    result.metric.eigenvalues,
    result.metric.eigenvectors,
  ];
  return arrays.map((array) => array.buffer).filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}

port.on('message', (raw: unknown) => {
  const { chainIndex } = runChainMessageSchema.parse(raw);
  const result = sampleChain(target, chainIndex, {
    ...settings,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'result', chainIndex, result }, resultBuffers(result));
});
