/**
 * Distribution functions the misspecification checks need: the chi-square and F upper tails (Ljung-Box
 * and slow-drift p-values), and the normal and Student-t CDFs (posterior-predictive intervals). Pure functions,
 * built on the regularised incomplete gamma and beta functions as in Press et al., Numerical
 * Recipes, 3rd ed. (2007), sections 6.1, 6.2 and 6.4.
 */

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10000;

/**
 * log Gamma(x) for x > 0 by Lanczos' approximation with g = 607/128 and 14 coefficients
 * (Numerical Recipes 3rd ed., section 6.1, `gammln`), relative error below 1e-15.
 */
export function logGamma(x: number): number {
  const cof = [
    57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199, 0.339946499848118887e-4, 0.465236289270485756e-4,
    -0.983744753048795646e-4, 0.158088703224912494e-3, -0.210264441724104883e-3, 0.217439618115212643e-3, -0.16431810653676389e-3,
    0.844182239838527433e-4, -0.261908384015814087e-4, 0.368991826595316234e-5,
  ];
  if (!(x > 0)) return Number.NaN;
  let y = x;
  let tmp = x + 5.2421875;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.999999999999997092;
  for (const c of cof) ser += c / ++y;
  return tmp + Math.log((2.5066282746310005 * ser) / x);
}

/** P(a, x) by its series sum_n x^n / (a (a+1) ... (a+n)) * x^a e^{-x} / Gamma(a); converges fast for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (modified Lentz), for x >= a + 1. */
function upperGammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** The regularised upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a), a > 0, x >= 0. */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaFraction(a, x);
}

/**
 * The chi-square survival function P(X > x) for X ~ chi^2(k): Q(k / 2, x / 2), the regularised upper
 * incomplete gamma function (Numerical Recipes 3rd ed., eq. 6.14.31).
 */
export function chiSquareSurvival(x: number, k: number): number {
  if (!(k > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedUpperGamma(k / 2, x / 2);
}

/** Phi(z) = erfc(-z / sqrt 2) / 2, with erfc(u) = Q(1/2, u^2) for u >= 0 and 2 - Q(1/2, u^2) for u < 0. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const u = -z / Math.SQRT2;
  const q = regularizedUpperGamma(0.5, u * u);
  return u >= 0 ? 0.5 * q : 1 - 0.5 * q;
}

/** Continued fraction of the incomplete beta function (Numerical Recipes 3rd ed., section 6.4, `betacf`). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1 (Numerical Recipes eq. 6.4.5 and 6.4.6). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Student-t CDF with nu degrees of freedom: the tail P(T > |t|) = I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2. */
export function studentTCdf(t: number, nu: number): number {
  if (Number.isNaN(t) || !(nu > 0)) return Number.NaN;
  const tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The F survival function P(X > f) for X ~ F(d1, d2): I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2), the regularised
 * incomplete beta function (Abramowitz and Stegun 1964, eq. 26.6.2).
 */
export function fSurvival(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) return Number.NaN;
  if (f <= 0) return 1;
  return regularizedBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}
