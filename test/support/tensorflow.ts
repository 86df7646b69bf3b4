/**
 * TensorFlow.js with the fastest backend this machine has: `@tensorflow/tfjs-node` (native
 * libtensorflow) when it is installed and loads, else `@tensorflow/tfjs` (pure JS CPU backend, same API).
 * tfjs-node is an optional dependency because its installer downloads libtensorflow from a host that
 * some machines cannot reach.
 */
import type * as Tf from '@tensorflow/tfjs';

export type Tensorflow = typeof Tf;

const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

let loaded: Promise<{ tf: Tensorflow; backend: 'native' | 'js' }> | undefined;

export function loadTensorflow(): Promise<{ tf: Tensorflow; backend: 'native' | 'js' }> {
  loaded ??= (async () => {
    try {
      // A variable specifier keeps bundlers and the type checker from requiring the optional package.
      const native = (await import(NATIVE_PACKAGE)) as Tensorflow;
      return { tf: native, backend: 'native' as const };
    } catch {
      return { tf: (await import('@tensorflow/tfjs')) as Tensorflow, backend: 'js' as const };
    }
  })();
  return loaded;
}
