/**
 * Greedy hill climbing in the manner of Meridian's budget optimizer, kept as a baseline to compare the
 * exact optimizer against: starting from the grid's anchor, each unit goes to the channel whose table
 * gains most from it. Exact for concave tables; on S-shaped curves it can stall in a channel whose first
 * units return little even when that channel's later units return most.
 */

export function greedyUnits(tables: readonly Float64Array[], units: number): Int32Array {
  const placed = new Int32Array(tables.length);
  for (let step = 0; step < units; step++) {
    let bestGain = -Infinity;
    let bestChannel = -1;
    tables.forEach((table, c) => {
      if (placed[c] + 1 < table.length) {
        const gain = table[placed[c] + 1] - table[placed[c]];
        if (gain > bestGain) {
          bestGain = gain;
          bestChannel = c;
        }
      }
    });
    if (bestChannel < 0) throw new RangeError(`only ${step} of ${units} units fit within the channels' ranges`);
    placed[bestChannel]++;
  }
  return placed;
}
