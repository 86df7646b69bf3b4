/**
 * The multinomial No-U-Turn transition with a Euclidean metric (metric.ts), as in Stan and Betancourt (2017),
 * "A Conceptual Introduction to Hamiltonian Monte Carlo", appendix A: the trajectory doubles in a random
 * direction; states are drawn with weights exp(-H) (uniform progressive sampling inside a subtree, biased
 * progressive sampling when a subtree joins the trajectory); the generalized no-U-turn criterion with
 * sharp momenta p# = M^-1 p is checked across each merged tree and across its two halves extended by one
 * state; an energy error above 1000 is a divergence.
 *
 * The trajectory is the hot loop of the product: every buffer is allocated once, per tree depth.
 */
import type { LogDensity } from './log-density.ts';
import { DiagonalMetric } from './diagonal-metric.ts';
import type { Metric } from './metric.ts';
import type { Rng } from '../math/rng.ts';

/** A point in phase space with the log density and its gradient at q. */
interface PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly grad: Float64Array;
  logDensity: number;
}

const phasePoint = (dim: number): PhasePoint => ({
  q: new Float64Array(dim),
  p: new Float64Array(dim),
  grad: new Float64Array(dim),
  logDensity: 0,
});

function copyPoint(to: PhasePoint, from: PhasePoint): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.grad.set(from.grad);
  to.logDensity = from.logDensity;
}

/** Buffers owned by the subtree-building frame at one depth (one frame per depth is alive at a time). */
interface DepthBuffers {
  readonly rhoInit: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly pInitEnd: Float64Array;
  readonly pSharpInitEnd: Float64Array;
  readonly pFinalBegin: Float64Array;
  readonly pSharpFinalBegin: Float64Array;
  readonly proposalFinal: PhasePoint;
}

const depthBuffers = (dim: number): DepthBuffers => ({
  rhoInit: new Float64Array(dim),
  rhoFinal: new Float64Array(dim),
  pInitEnd: new Float64Array(dim),
  pSharpInitEnd: new Float64Array(dim),
  pFinalBegin: new Float64Array(dim),
  pSharpFinalBegin: new Float64Array(dim),
  proposalFinal: phasePoint(dim),
});

/** Energy error beyond which a trajectory is declared divergent (Stan's max_deltaH). */
const MAX_ENERGY_ERROR = 1000;

/** log(exp(a) + exp(b)) without overflow. */
function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * The generalized no-U-turn criterion across a tree joined from subtree A and the subtree B after it
 * (Betancourt 2017, appendix A.4.2, with Stan's extra checks): writes the tree's summed momenta
 * rho = rhoA + rhoB and is true when p#(begin) . rho > 0 and p#(end) . rho > 0, and likewise for A
 * extended by B's first state (rhoA + p(B begin), between begin and B's begin) and for B extended by
 * A's last state (rhoB + p(A end), between A's end and end).
 */
function noUTurn(
  n: number,
  rho: Float64Array,
  rhoA: Float64Array,
  rhoB: Float64Array,
  pSharpBegin: Float64Array,
  pSharpEnd: Float64Array,
  pAEnd: Float64Array,
  pSharpAEnd: Float64Array,
  pBBegin: Float64Array,
  pSharpBBegin: Float64Array,
): boolean {
  let whole0 = 0;
  let whole1 = 0;
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  for (let i = 0; i < n; i++) {
    const ra = rhoA[i];
    const rb = rhoB[i];
    const r = ra + rb;
    rho[i] = r;
    whole0 += pSharpBegin[i] * r;
    whole1 += pSharpEnd[i] * r;
    const aExtended = ra + pBBegin[i];
    a0 += pSharpBegin[i] * aExtended;
    a1 += pSharpBBegin[i] * aExtended;
    const bExtended = rb + pAEnd[i];
    b0 += pSharpAEnd[i] * bExtended;
    b1 += pSharpEnd[i] * bExtended;
  }
  return whole0 > 0 && whole1 > 0 && a0 > 0 && a1 > 0 && b0 > 0 && b1 > 0;
}

/** Acceptance threshold of the step-size heuristic: one leapfrog step should keep exp(-dH) near 0.8. */
const LOG_HEURISTIC_ACCEPT = Math.log(0.8);
const MAX_STEP_SIZE = 1e7;

export class StepSizeSearchError extends Error {
  constructor(stepSize: number) {
    super(
      stepSize > MAX_STEP_SIZE
        ? `step-size search grew past ${MAX_STEP_SIZE} without the energy changing: ` +
            'the posterior is improper (check priors and the likelihood)'
        : 'step-size search shrank to 0: no step is small enough, ' +
            'the log density is probably discontinuous or not finite near the current point',
    );
    this.name = 'StepSizeSearchError';
  }
}

export interface TransitionStats {
  divergent: boolean;
  treeDepth: number;
  /** Hamiltonian at the selected state. */
  energy: number;
  /** Mean over the trajectory of min(1, exp(H0 - H)): the statistic dual averaging steers. */
  acceptStat: number;
  nLeapfrog: number;
}

export class NutsKernel {
  /** Leapfrog step size; warm-up sets it between transitions. */
  stepSize = 1;

  private readonly dim: number;
  /** M^-1 p of the integrator's state after a leapfrog step, and scratch inside one. */
  private readonly velocity: Float64Array;
  /** The integrator's moving state; between transitions it is the chain's current state. */
  private readonly z: PhasePoint;
  private readonly forwardEnd: PhasePoint;
  private readonly backwardEnd: PhasePoint;
  private readonly sample: PhasePoint;
  private readonly proposal: PhasePoint;
  private readonly saved: PhasePoint;
  /** Momenta p and sharp momenta p# at both ends of the forward (fwd) and backward (bck) subtrees. */
  private readonly pFwdFwd: Float64Array;
  private readonly pSharpFwdFwd: Float64Array;
  private readonly pFwdBck: Float64Array;
  private readonly pSharpFwdBck: Float64Array;
  private readonly pBckFwd: Float64Array;
  private readonly pSharpBckFwd: Float64Array;
  private readonly pBckBck: Float64Array;
  private readonly pSharpBckBck: Float64Array;
  /** Summed momenta of the whole trajectory and of its forward and backward parts. */
  private readonly rho: Float64Array;
  private readonly rhoFwd: Float64Array;
  private readonly rhoBck: Float64Array;
  /** Buffers of the subtree frames at depths 1 .. maxTreeDepth - 1 (index depth - 1); leaves need none. */
  private readonly depths: DepthBuffers[];

  /** Per-transition accumulators shared by the recursion. */
  private initialEnergy = 0;
  private nLeapfrog = 0;
  private sumMetropolisProb = 0;
  private divergent = false;
  /** Log of the summed weights exp(H0 - H) of the subtree the last buildTree call produced. */
  private subtreeLogWeight = 0;

  constructor(
    private readonly target: LogDensity,
    private readonly rng: Rng,
    initialPoint: Float64Array,
    private readonly maxTreeDepth: number,
    /** The metric of the kinetic energy; warm-up adapts it between transitions. */
    readonly metric: Metric = new DiagonalMetric(target.dim),
  ) {
    const dim = target.dim;
    if (metric.dim !== dim) throw new RangeError(`a metric of dim ${metric.dim} for a target of dim ${dim}`);
    this.dim = dim;
    this.velocity = new Float64Array(dim);
    this.z = phasePoint(dim);
    this.forwardEnd = phasePoint(dim);
    this.backwardEnd = phasePoint(dim);
    this.sample = phasePoint(dim);
    this.proposal = phasePoint(dim);
    this.saved = phasePoint(dim);
    this.pFwdFwd = new Float64Array(dim);
    this.pSharpFwdFwd = new Float64Array(dim);
    this.pFwdBck = new Float64Array(dim);
    this.pSharpFwdBck = new Float64Array(dim);
    this.pBckFwd = new Float64Array(dim);
    this.pSharpBckFwd = new Float64Array(dim);
    this.pBckBck = new Float64Array(dim);
    this.pSharpBckBck = new Float64Array(dim);
    this.rho = new Float64Array(dim);
    this.rhoFwd = new Float64Array(dim);
    this.rhoBck = new Float64Array(dim);
    this.depths = Array.from({ length: maxTreeDepth - 1 }, () => depthBuffers(dim));
    this.z.q.set(initialPoint);
    this.z.logDensity = target.logDensityGradient(this.z.q, this.z.grad);
  }

  /** The chain's current position (a live view: copy it to keep it). */
  get position(): Float64Array {
    return this.z.q;
  }

  get logDensity(): number {
    return this.z.logDensity;
  }

  /** d log p / d theta at the current position (a live view: copy it to keep it). */
  get gradient(): Float64Array {
    return this.z.grad;
  }

  /** H(q, p) = -log p(q) + p' M^-1 p / 2; leaves M^-1 p in this.velocity. */
  private hamiltonian(point: PhasePoint): number {
    const { p } = point;
    const v = this.velocity;
    this.metric.velocity(p, v);
    let kinetic = 0;
    for (let i = 0; i < this.dim; i++) kinetic += p[i] * v[i];
    return -point.logDensity + 0.5 * kinetic;
  }

  /**
   * One leapfrog step: p += eps/2 grad; q += eps M^-1 p; p += eps/2 grad(q). Returns H, NaN as +Inf, and
   * leaves M^-1 p of the new state in this.velocity.
   */
  private leapfrog(point: PhasePoint, eps: number): number {
    const { q, p, grad } = point;
    const v = this.velocity;
    const n = this.dim;
    const halfEps = 0.5 * eps;
    for (let i = 0; i < n; i++) p[i] += halfEps * grad[i];
    this.metric.velocity(p, v);
    for (let i = 0; i < n; i++) q[i] += eps * v[i];
    point.logDensity = this.target.logDensityGradient(q, grad);
    for (let i = 0; i < n; i++) p[i] += halfEps * grad[i];
    const energy = this.hamiltonian(point);
    return Number.isNaN(energy) ? Infinity : energy;
  }

  /** One NUTS transition from the current state; afterwards the current state is the selected one. */
  transition(): TransitionStats {
    const { z, rng, rho, rhoFwd, rhoBck, velocity } = this;
    this.metric.sampleMomentum(rng, z.p);
    const initialEnergy = this.hamiltonian(z);
    this.initialEnergy = initialEnergy;
    this.nLeapfrog = 0;
    this.sumMetropolisProb = 0;
    this.divergent = false;
    copyPoint(this.forwardEnd, z);
    copyPoint(this.backwardEnd, z);
    copyPoint(this.sample, z);
    for (let i = 0; i < this.dim; i++) {
      const pi = z.p[i];
      const pSharp = velocity[i];
      this.pFwdFwd[i] = pi;
      this.pFwdBck[i] = pi;
      this.pBckFwd[i] = pi;
      this.pBckBck[i] = pi;
      this.pSharpFwdFwd[i] = pSharp;
      this.pSharpFwdBck[i] = pSharp;
      this.pSharpBckFwd[i] = pSharp;
      this.pSharpBckBck[i] = pSharp;
      rho[i] = pi;
    }
    // Weights are exp(H0 - H), so the initial state weighs exp(0).
    let logSumWeight = 0;
    let depth = 0;
    while (depth < this.maxTreeDepth) {
      let valid: boolean;
      if (rng.uniform() > 0.5) {
        // The old trajectory becomes the backward subtree; a new one grows forward from its forward end.
        copyPoint(z, this.forwardEnd);
        rhoBck.set(rho);
        this.pBckFwd.set(this.pFwdFwd);
        this.pSharpBckFwd.set(this.pSharpFwdFwd);
        rhoFwd.fill(0);
        valid = this.buildTree(depth, this.proposal, this.pSharpFwdBck, this.pSharpFwdFwd, rhoFwd, this.pFwdBck, this.pFwdFwd, 1);
        copyPoint(this.forwardEnd, z);
      } else {
        copyPoint(z, this.backwardEnd);
        rhoFwd.set(rho);
        this.pFwdBck.set(this.pBckBck);
        this.pSharpFwdBck.set(this.pSharpBckBck);
        rhoBck.fill(0);
        valid = this.buildTree(depth, this.proposal, this.pSharpBckFwd, this.pSharpBckBck, rhoBck, this.pBckFwd, this.pBckBck, -1);
        copyPoint(this.backwardEnd, z);
      }
      if (!valid) break;
      depth += 1;

      // Biased progressive sampling: move to the new subtree with probability min(1, w_new / w_old).
      const subtreeLogWeight = this.subtreeLogWeight;
      if (subtreeLogWeight > logSumWeight || rng.uniform() < Math.exp(subtreeLogWeight - logSumWeight)) {
        copyPoint(this.sample, this.proposal);
      }
      logSumWeight = logSumExp(logSumWeight, subtreeLogWeight);

      // No-U-turn across the merged trajectory (backward part, then forward part) and each part extended.
      if (
        !noUTurn(
          this.dim,
          rho,
          rhoBck,
          rhoFwd,
          this.pSharpBckBck,
          this.pSharpFwdFwd,
          this.pBckFwd,
          this.pSharpBckFwd,
          this.pFwdBck,
          this.pSharpFwdBck,
        )
      )
        break;
    }

    copyPoint(z, this.sample);
    return {
      divergent: this.divergent,
      treeDepth: depth,
      energy: this.hamiltonian(z),
      acceptStat: this.sumMetropolisProb / this.nLeapfrog,
      nLeapfrog: this.nLeapfrog,
    };
  }

  /**
   * Builds a subtree of 2^depth leapfrog steps from the integrator state in `direction`, leaving a
   * multinomially drawn state in `proposal`, the momenta and sharp momenta at the subtree's first and last
   * states in pBegin / pSharpBegin / pEnd / pSharpEnd, its summed momenta in rho (zeroed by the caller) and
   * its log weight in subtreeLogWeight. Returns false if it diverged or U-turned inside (the whole subtree
   * is then discarded).
   */
  private buildTree(
    depth: number,
    proposal: PhasePoint,
    pSharpBegin: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBegin: Float64Array,
    pEnd: Float64Array,
    direction: 1 | -1,
  ): boolean {
    if (depth === 0) {
      // One leapfrog step: the new state is the subtree's proposal, first and last state.
      const { z } = this;
      const energy = this.leapfrog(z, direction * this.stepSize);
      this.nLeapfrog += 1;
      const logWeight = this.initialEnergy - energy;
      if (-logWeight > MAX_ENERGY_ERROR) this.divergent = true;
      this.subtreeLogWeight = logWeight;
      this.sumMetropolisProb += logWeight > 0 ? 1 : Math.exp(logWeight);

      const { velocity } = this;
      const { q, p, grad } = z;
      const proposalQ = proposal.q;
      const proposalP = proposal.p;
      const proposalGrad = proposal.grad;
      const n = this.dim;
      for (let i = 0; i < n; i++) {
        const pi = p[i];
        const pSharp = velocity[i];
        pSharpBegin[i] = pSharp;
        pSharpEnd[i] = pSharp;
        pBegin[i] = pi;
        pEnd[i] = pi;
        rho[i] += pi;
        proposalQ[i] = q[i];
        proposalP[i] = pi;
        proposalGrad[i] = grad[i];
      }
      proposal.logDensity = z.logDensity;
      return !this.divergent;
    }

    const buffers = this.depths[depth - 1];
    const { rhoInit, rhoFinal, pInitEnd, pSharpInitEnd, pFinalBegin, pSharpFinalBegin, proposalFinal } = buffers;
    rhoInit.fill(0);
    if (!this.buildTree(depth - 1, proposal, pSharpBegin, pSharpInitEnd, rhoInit, pBegin, pInitEnd, direction)) {
      return false;
    }
    const initLogWeight = this.subtreeLogWeight;
    rhoFinal.fill(0);
    if (!this.buildTree(depth - 1, proposalFinal, pSharpFinalBegin, pSharpEnd, rhoFinal, pFinalBegin, pEnd, direction)) {
      return false;
    }
    const finalLogWeight = this.subtreeLogWeight;
    const logWeight = logSumExp(initLogWeight, finalLogWeight);
    this.subtreeLogWeight = logWeight;

    // Uniform progressive sampling inside the subtree: take the final half with probability w_final / w.
    if (finalLogWeight > logWeight || this.rng.uniform() < Math.exp(finalLogWeight - logWeight)) {
      copyPoint(proposal, proposalFinal);
    }

    return noUTurn(this.dim, rho, rhoInit, rhoFinal, pSharpBegin, pSharpEnd, pInitEnd, pSharpInitEnd, pFinalBegin, pSharpFinalBegin);
  }

  /**
   * Stan's step-size heuristic: from `start`, double (or halve) the step until one leapfrog step from the
   * current state with fresh momentum crosses exp(-dH) = 0.8. Leaves the current state unchanged.
   */
  findReasonableStepSize(start: number): number {
    let stepSize = start;
    if (stepSize === 0 || stepSize > MAX_STEP_SIZE || Number.isNaN(stepSize)) return stepSize;
    copyPoint(this.saved, this.z);
    const direction = this.oneStepEnergyChange(stepSize) > LOG_HEURISTIC_ACCEPT ? 1 : -1;
    for (;;) {
      const change = this.oneStepEnergyChange(stepSize);
      if (direction === 1 ? !(change > LOG_HEURISTIC_ACCEPT) : !(change < LOG_HEURISTIC_ACCEPT)) break;
      stepSize = direction === 1 ? stepSize * 2 : stepSize * 0.5;
      if (stepSize > MAX_STEP_SIZE || stepSize === 0) {
        copyPoint(this.z, this.saved);
        throw new StepSizeSearchError(stepSize);
      }
    }
    copyPoint(this.z, this.saved);
    return stepSize;
  }

  /** H0 - H after one leapfrog step of `stepSize` from the saved state with fresh momentum. */
  private oneStepEnergyChange(stepSize: number): number {
    const { z } = this;
    copyPoint(z, this.saved);
    this.metric.sampleMomentum(this.rng, z.p);
    const initialEnergy = this.hamiltonian(z);
    return initialEnergy - this.leapfrog(z, stepSize);
  }
}
