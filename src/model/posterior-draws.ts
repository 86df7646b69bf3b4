/**
 * The posterior of a fit as the analysis layer sees it: every draw of the unconstrained vector
 * (chains concatenated) and the model that gives them meaning.
 */
import type { MmmModel, DrawState } from './mmm-model.ts';
import { newDrawState } from './mmm-model.ts';

export interface PosteriorDraws {
  nChains: number;
  drawsPerChain: number;
  dim: number;
  /** (chain * drawsPerChain + draw) * dim + i */
  theta: Float64Array;
}

export const drawCount = (p: PosteriorDraws): number => p.nChains * p.drawsPerChain;

/** Evenly spaced draw indices, at most `limit` of them (for costly per-draw summaries). */
export function thinnedDrawIndices(p: PosteriorDraws, limit: number): number[] {
  const n = drawCount(p);
  const take = Math.min(n, limit);
  return Array.from({ length: take }, (_, i) => Math.floor((i * n) / take));
}

/** Evaluates draws one at a time into a reused DrawState (constant memory whatever the draw count). */
export class DrawEvaluator {
  readonly state: DrawState;
  private readonly scratch: Float64Array;
  private readonly theta: Float64Array;

  constructor(
    readonly model: MmmModel,
    readonly posterior: PosteriorDraws,
  ) {
    this.state = newDrawState(model.data, model.layout);
    this.scratch = new Float64Array(model.dim);
    this.theta = new Float64Array(model.dim);
  }

  load(drawIndex: number): DrawState {
    const { dim } = this.posterior;
    this.theta.set(this.posterior.theta.subarray(drawIndex * dim, (drawIndex + 1) * dim));
    this.model.evaluate(this.theta, this.state, this.scratch);
    return this.state;
  }
}
