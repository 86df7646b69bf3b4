/**
 * Sorting that also yields the permutation. Rank normalisation needs, for every draw, its position
 * in sorted order (to give it a normal score) and, for the folded draws, the same again in another
 * order; one permutation serves both without binary searches or comparator callbacks.
 */

/** Length of the runs insertion-sorted before merging: short runs sort faster by insertion. */
const insertionRun = 16;

/** Buffers for `sortWithPermutation`, each as long as the values sorted. */
export interface PermutationSortBuffers {
  /** Out: the values in ascending order. */
  sorted: Float64Array;
  /** Out: order[i] is the index in the input of sorted[i]. */
  order: Uint32Array;
  scratchValues: Float64Array;
  scratchOrder: Uint32Array;
}

/**
 * Sorts `values` ascending into `buffers.sorted` with the permutation in `buffers.order`, stable
 * (equal values keep index order): insertion sort of short runs, then bottom-up merges (Knuth,
 * TAOCP vol. 3, 5.2.4), moving each value with its index so that merges compare values directly.
 */
export function sortWithPermutation(values: Float64Array, buffers: PermutationSortBuffers): void {
  const n = values.length;
  let keys = buffers.sorted;
  let order = buffers.order;
  keys.set(values);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let start = 0; start < n; start += insertionRun) {
    const end = Math.min(start + insertionRun, n);
    for (let i = start + 1; i < end; i++) {
      const key = keys[i];
      const index = order[i];
      let j = i - 1;
      while (j >= start && keys[j] > key) {
        keys[j + 1] = keys[j];
        order[j + 1] = order[j];
        j -= 1;
      }
      keys[j + 1] = key;
      order[j + 1] = index;
    }
  }
  let toKeys = buffers.scratchValues;
  let toOrder = buffers.scratchOrder;
  for (let width = insertionRun; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (keys[j] < keys[i]) {
          toKeys[k] = keys[j];
          toOrder[k++] = order[j++];
        } else {
          toKeys[k] = keys[i];
          toOrder[k++] = order[i++];
        }
      }
      for (; i < mid; i++, k++) {
        toKeys[k] = keys[i];
        toOrder[k] = order[i];
      }
      for (; j < hi; j++, k++) {
        toKeys[k] = keys[j];
        toOrder[k] = order[j];
      }
    }
    const mergedKeys = toKeys;
    toKeys = keys;
    keys = mergedKeys;
    const mergedOrder = toOrder;
    toOrder = order;
    order = mergedOrder;
  }
  if (keys !== buffers.sorted) {
    buffers.sorted.set(keys);
    buffers.order.set(order);
  }
}
