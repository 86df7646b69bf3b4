/**
 * The spend grid the optimizer searches: channel c spends base_c + direction x u_c x step for integer
 * u_c in [0, maxUnits_c], and a plan places exactly `units` units, so it spends the budget exactly.
 * A single budget anchors the grid at the nearer end (the bounds' lower sum or upper sum), which keeps the
 * per-channel ranges wide enough to place every unit.
 */
import type { SpendBounds } from './constraints.ts';

export interface SpendGrid {
  base: Float64Array;
  direction: 1 | -1;
  step: number;
  maxUnits: Int32Array;
  /** Units every plan on this grid places. */
  units: number;
  bounds: SpendBounds;
}

const total = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

/** Units each channel can take: floor((upper - lower) / step), at most `units`. */
function unitCapacity(bounds: SpendBounds, step: number, units: number): Int32Array {
  return Int32Array.from(bounds.lower, (low, c) => (step > 0 ? Math.min(units, Math.floor((bounds.upper[c] - low) / step + 1e-9)) : 0));
}

/** A grid anchored at the bounds' lower end with the given step, able to place up to `units` units. */
export function lowerAnchoredGrid(bounds: SpendBounds, step: number, units: number): SpendGrid {
  return { base: bounds.lower, direction: 1, step, maxUnits: unitCapacity(bounds, step, units), units, bounds };
}

/** The grid for one budget (which the bounds must admit, see checkBudget): `units` steps of the free budget. */
export function budgetGrid(bounds: SpendBounds, budget: number, units: number): SpendGrid {
  const fromLower = Math.max(budget - total(bounds.lower), 0);
  const fromUpper = Math.max(total(bounds.upper) - budget, 0);
  const anchorLower = fromLower <= fromUpper;
  const free = anchorLower ? fromLower : fromUpper;
  const placed = free > 0 ? units : 0;
  const step = placed > 0 ? free / placed : 0;
  return {
    base: anchorLower ? bounds.lower : bounds.upper,
    direction: anchorLower ? 1 : -1,
    step,
    maxUnits: unitCapacity(bounds, step, placed),
    units: placed,
    bounds,
  };
}

/** Spend of channel c at u units, clamped onto its bounds against rounding. */
export function spendAt(grid: SpendGrid, c: number, u: number): number {
  const spend = grid.base[c] + grid.direction * u * grid.step;
  return Math.min(Math.max(spend, grid.bounds.lower[c]), grid.bounds.upper[c]);
}

export const spendOfUnits = (grid: SpendGrid, units: Int32Array): Float64Array => Float64Array.from(units, (u, c) => spendAt(grid, c, u));

/** table_c[u] = value(c, spend of channel c at u units). */
export function valueTables(grid: SpendGrid, value: (channel: number, spend: number) => number): Float64Array[] {
  return Array.from(grid.maxUnits, (max, c) => Float64Array.from({ length: max + 1 }, (_, u) => value(c, spendAt(grid, c, u))));
}
