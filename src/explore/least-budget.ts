/**
 * The least budget at which a test passes, to within a tolerance, for a test that passes from some budget on
 * (the goal seek's: the plan at that budget reaches the target with the probability asked for). Whatever
 * the probes, the answer is the same kind of bracket bisection ends with: the test passes at the answer and
 * fails at a probed budget at most `tolerance` below it (or the answer is the range's lower end, where it
 * passes). Where the probes go is
 * what saves probes: a first guess, then steps doubling from it until the test changes, then linear
 * interpolation of the bracket ends' margins (regula falsi with the Illinois rule), each probe kept at least
 * `tolerance` inside the bracket so that a good estimate closes the bracket with the next probe; a bisection
 * whenever two probes did not halve the bracket.
 */

export interface Probe {
  budget: number;
  passes: boolean;
  /** How far the test is from switching, in any unit that grows with the budget (negative when it fails): only a guide. */
  margin: number;
}

export interface LeastBudgetOptions {
  tolerance: number;
  /** Where to probe first; default the middle of the range. */
  guess?: number;
  /** The first step away from the guess while every probe agrees; doubled at each further step. */
  step?: number;
}

/**
 * The probe at the least passing budget in [low, high] within the tolerance, or undefined when the test
 * fails at `high`. The range's ends are probed only when the search reaches them.
 */
export function leastPassingBudget<P extends Probe>(
  probe: (budget: number) => P,
  low: number,
  high: number,
  options: LeastBudgetOptions,
): P | undefined {
  const { tolerance } = options;
  let below: P | undefined; // the highest failing probe
  let above: P | undefined; // the lowest passing probe
  let lowEnd = low;
  let highEnd = high;
  // Margins the interpolation uses: the ends' own, except that an end kept while two probes in a row land on
  // the other side has its margin halved (the Illinois rule; plain regula falsi then creeps one-sidedly).
  let belowMargin = 0;
  let aboveMargin = 0;
  let lastPassed: boolean | undefined;
  const record = (budget: number): P => {
    const result = probe(budget);
    if (result.passes) {
      above = result;
      highEnd = budget;
      aboveMargin = result.margin;
      if (lastPassed === true) belowMargin /= 2;
    } else {
      below = result;
      lowEnd = budget;
      belowMargin = result.margin;
      if (lastPassed === false) aboveMargin /= 2;
    }
    lastPassed = result.passes;
    return result;
  };
  let step = options.step ?? (high - low) / 2;
  let latest = record(Math.min(Math.max(options.guess ?? (low + high) / 2, low), high));
  let widths = [high - low, high - low];
  while (highEnd - lowEnd > tolerance) {
    let next: number;
    if (!above) {
      // Every probe failed: step up, at most to the range's end.
      if (latest.budget >= high) return undefined;
      next = Math.min(latest.budget + step, high);
      step *= 2;
    } else if (!below) {
      // Every probe passed: step down, at most to the range's start.
      if (latest.budget <= low) return latest;
      next = Math.max(latest.budget - step, low);
      step *= 2;
    } else {
      const width = highEnd - lowEnd;
      const stalled = width > widths[0] / 2;
      const usable = belowMargin < 0 && aboveMargin >= 0 && !stalled;
      const estimate = usable ? lowEnd + (width * -belowMargin) / (aboveMargin - belowMargin) : (lowEnd + highEnd) / 2;
      next = width > 2 * tolerance ? Math.min(Math.max(estimate, lowEnd + tolerance), highEnd - tolerance) : (lowEnd + highEnd) / 2;
    }
    widths = [widths[1], highEnd - lowEnd];
    latest = record(next);
  }
  // The bracket closed on an end of the range no probe has tested: the answer depends on that end.
  if (!above) {
    const atHigh = record(high);
    return atHigh.passes ? atHigh : undefined;
  }
  if (!below && highEnd > low) {
    const atLow = record(low);
    if (atLow.passes) return atLow;
  }
  return above;
}
