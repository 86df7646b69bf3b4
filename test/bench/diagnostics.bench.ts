/**
 * Time of the full diagnostics over a fit of 400 parameters x 4 chains x 1000 draws: summaries,
 * R-hat, bulk and tail ESS for every parameter, then the verdict. Two fits: every parameter mixing
 * well (AR(1), rho 0.3; Geyer's truncation within a few lags), and half of them barely moving
 * (rho 0.99; autocorrelations run far, so ESS needs the FFT).
 * Run: node --import tsx test/bench/diagnostics.bench.ts
 */
import { diagnose, type SamplerHealthInput } from '../../src/inference/diagnostics/index.ts';

const chains = 4;
const draws = 1000;
const parameterCount = 400;
const runs = 5;

/** Standard normal by Box-Muller; timing needs no seed. */
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

function ar1Chain(rho: number): Float64Array {
  const x = new Float64Array(draws);
  x[0] = gaussian();
  const innovationSd = Math.sqrt(1 - rho * rho);
  for (let t = 1; t < draws; t++) x[t] = rho * x[t - 1] + innovationSd * gaussian();
  return x;
}

const health: SamplerHealthInput = {
  divergent: Array.from({ length: chains }, () => new Uint8Array(draws)),
  treeDepth: Array.from({ length: chains }, () => new Uint8Array(draws).fill(5)),
  energy: Array.from({ length: chains }, () => ar1Chain(0)),
  maxTreeDepth: 10,
};

function timeFit(label: string, rhoOf: (parameter: number) => number): void {
  const parameters = Array.from({ length: parameterCount }, (_, p) => ({
    name: `theta[${p}]`,
    chains: Array.from({ length: chains }, () => ar1Chain(rhoOf(p))),
  }));
  diagnose(parameters.slice(0, 20), health); // warm the JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  let verdict = '';
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    verdict = diagnose(parameters, health).verdict;
    const cpuUsed = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
  }
  const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[runs >> 1].toFixed(0);
  // CPU time is reported beside wall time because the machine is shared: wall time includes waiting.
  console.log(`${label}: median wall ${median(wall)} ms, median CPU ${median(cpu)} ms over ${runs} runs (verdict ${verdict})`);
}

console.log(`diagnose over ${parameterCount} parameters x ${chains} chains x ${draws} draws`);
timeFit('  all mixing well      ', () => 0.3);
timeFit('  half barely moving   ', (p) => (p % 2 === 0 ? 0.3 : 0.99));
