/**
 * The national baseline's conditional posterior (src/model/conditional-baseline.ts) against a dense computation
 * written from its definition: P = X' Q X / sigma^2 + diag(1 / s^2) with Q the T x T AR(1) precision pattern,
 * b_hat = P^-1 X' Q r / sigma^2, solved by Gauss-Jordan elimination (not the module's Cholesky).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/rng.ts';
import { ConditionalBaseline } from '../../src/model/conditional-baseline.ts';
import { createMmmModel } from '../../src/model/model.ts';
import { simulateDataset } from '../../src/model/simulate.ts';

const { panel, config } = simulateDataset({ geos: 1, weeks: 60, channels: 2, controls: 2, seed: 4, noiseSd: 0.3, model: { knots: 3 } });
const { data } = createMmmModel(panel, config);
const { tFit, nTime, K } = data;
const p = 1 + nTime + K;
const rng = createRng(12, 0);
const residual = Float64Array.from({ length: tFit }, () => rng.normal());

/** Row t of X, written out: the constant, the time basis, the controls. */
const row = (t: number) => [
  1,
  ...Array.from({ length: nTime }, (_, j) => data.timeBasis[t * nTime + j]),
  ...Array.from({ length: K }, (_, k) => data.controls[t * K + k]),
];
const priorScale = (j: number) => (j === 0 || j > nTime ? data.model.priors.baseline.scale : data.timePriorScale[j - 1]);

/** The AR(1) precision pattern Q (unit innovations): 1 + phi^2 inside, 1 at both ends, -phi beside the diagonal. */
function arPrecision(phi: number): number[][] {
  return Array.from({ length: tFit }, (_, s) =>
    Array.from({ length: tFit }, (_, t) => (s === t ? (s > 0 && s < tFit - 1 ? 1 + phi * phi : 1) : Math.abs(s - t) === 1 ? -phi : 0)),
  );
}

/** Dense P, X' Q r / sigma^2, and the solve with log det by Gauss-Jordan elimination with partial pivoting. */
function dense(phi: number, sigma: number): { mean: number[]; logDet: number } {
  const q = arPrecision(phi);
  const x = Array.from({ length: tFit }, (_, t) => row(t));
  const qx = q.map((qRow) => Array.from({ length: p }, (_, j) => qRow.reduce((sum, v, t) => sum + v * x[t][j], 0)));
  const a = Array.from({ length: p }, (_, i) =>
    Array.from(
      { length: p },
      (_, j) => x.reduce((sum, xRow, t) => sum + xRow[i] * qx[t][j], 0) / sigma ** 2 + (i === j ? 1 / priorScale(i) ** 2 : 0),
    ),
  );
  const qr = q.map((qRow) => qRow.reduce((sum, v, t) => sum + v * residual[t], 0));
  const b = Array.from({ length: p }, (_, i) => x.reduce((sum, xRow, t) => sum + xRow[i] * qr[t], 0) / sigma ** 2);
  let logDet = 0;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    logDet += Math.log(Math.abs(a[col][col]));
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const factor = a[r][col] / a[col][col];
      for (let c = col; c < p; c++) a[r][c] -= factor * a[col][c];
      b[r] -= factor * b[col];
    }
  }
  return { mean: b.map((v, i) => v / a[i][i]), logDet };
}

describe('the national baseline conditional posterior', () => {
  it.each([0, 0.6, -0.4])('has the mean and log determinant of the dense computation (phi %s)', (phi) => {
    const sigma = 0.7;
    const baseline = new ConditionalBaseline(data);
    baseline.condition(residual, phi, sigma);
    const reference = dense(phi, sigma);
    for (let j = 0; j < p; j++) expect(baseline.mean[j]).toBeCloseTo(reference.mean[j], 9);
    expect(baseline.logDetPrecision).toBeCloseTo(reference.logDet, 9);
  });

  it('differentiates log det P in phi and log sigma (central finite differences)', () => {
    const baseline = new ConditionalBaseline(data);
    const logDet = (phi: number, sigma: number) => {
      baseline.condition(residual, phi, sigma);
      return baseline.logDetPrecision;
    };
    const h = 1e-6;
    const [phi, sigma] = [0.5, 0.8];
    const dPhi = (logDet(phi + h, sigma) - logDet(phi - h, sigma)) / (2 * h);
    const dLogSigma = (logDet(phi, sigma * Math.exp(h)) - logDet(phi, sigma * Math.exp(-h))) / (2 * h);
    baseline.condition(residual, phi, sigma);
    expect(baseline.dLogDetDPhi).toBeCloseTo(dPhi, 5);
    expect(baseline.dLogDetDLogSigma).toBeCloseTo(dLogSigma, 5);
  });

  it("maps z to b and back, and b = b_hat + L^-T z lowers the log joint by exactly z'z / 2", () => {
    const [phi, sigma] = [0.6, 0.7];
    const baseline = new ConditionalBaseline(data);
    baseline.condition(residual, phi, sigma);
    const q = arPrecision(phi);
    // log joint in b up to a constant: -(r - X b)' Q (r - X b) / (2 sigma^2) - sum_j b_j^2 / (2 s_j^2).
    const logJoint = (b: ArrayLike<number>) => {
      const e = Array.from({ length: tFit }, (_, t) => residual[t] - row(t).reduce((sum, v, j) => sum + v * b[j], 0));
      let quadratic = 0;
      for (let s = 0; s < tFit; s++) for (let t = 0; t < tFit; t++) quadratic += e[s] * q[s][t] * e[t];
      return -quadratic / (2 * sigma ** 2) + baseline.priorLogDensity(b);
    };
    const z = Float64Array.from({ length: p }, () => rng.normal());
    const b = baseline.coefficients(z, new Float64Array(p));
    const back = baseline.coordinates(b, new Float64Array(p));
    for (let j = 0; j < p; j++) expect(back[j]).toBeCloseTo(z[j], 10);
    const zz = z.reduce((sum, v) => sum + v * v, 0);
    expect(logJoint(b)).toBeCloseTo(logJoint(baseline.mean) - zz / 2, 8);
  });
});
