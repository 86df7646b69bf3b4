/**
 * Autocovariances of chains at increasing lags, as ESS consumes them up to Geyer's truncation
 * point. Well-mixing chains truncate within a few lags, where direct sums are cheapest; a poorly
 * mixing chain can run to a large fraction of its length, where the FFT keeps the cost O(n log n)
 * instead of O(n^2). `MeanAutocovariance` does the first and switches to the second.
 */

/** Lags summed directly before one FFT computes all the rest. */
const directLagLimit = 16;

/**
 * Mean over chains of the biased autocovariances gamma_{k,t} (see `AutocovarianceFft`), computed on
 * demand in increasing lag order: by direct sums up to `directLagLimit`, then by FFT for every lag.
 */
export class MeanAutocovariance {
  /** Means of the chains last loaded. */
  readonly chainMeans: Float64Array;
  private readonly length: number;
  private readonly centred: Float64Array;
  private readonly centredChains: Float64Array[];
  private readonly transformed: Float64Array[];
  private readonly byLag: Float64Array;
  private readonly fft: AutocovarianceFft;
  private lagsKnown = 0;

  /** `chainCount` must be even: the FFT transforms chains in pairs. */
  constructor(chainCount: number, length: number) {
    if (chainCount % 2 !== 0) throw new RangeError(`MeanAutocovariance needs an even number of chains, got ${chainCount}`);
    this.length = length;
    this.chainMeans = new Float64Array(chainCount);
    this.centred = new Float64Array(chainCount * length);
    this.centredChains = [];
    this.transformed = [];
    for (let k = 0; k < chainCount; k++) {
      this.centredChains.push(this.centred.subarray(k * length, (k + 1) * length));
      this.transformed.push(new Float64Array(length));
    }
    this.byLag = new Float64Array(length);
    this.fft = new AutocovarianceFft(length);
  }

  /** Takes new chains, laid out one after another in `series`. */
  load(series: Float64Array): void {
    const n = this.length;
    this.centredChains.forEach((centred, k) => {
      let sum = 0;
      for (let t = 0; t < n; t++) sum += series[k * n + t];
      const mean = sum / n;
      this.chainMeans[k] = mean;
      for (let t = 0; t < n; t++) centred[t] = series[k * n + t] - mean;
    });
    this.lagsKnown = 0;
  }

  /** (1/K) sum_k gamma_{k,lag}. */
  at(lag: number): number {
    while (this.lagsKnown <= lag) {
      if (this.lagsKnown >= directLagLimit) {
        this.transformAll();
        break;
      }
      this.byLag[this.lagsKnown] = this.directSum(this.lagsKnown);
      this.lagsKnown += 1;
    }
    return this.byLag[lag];
  }

  private directSum(lag: number): number {
    const n = this.length;
    let total = 0;
    for (const x of this.centredChains) {
      let sum = 0;
      for (let t = 0; t + lag < n; t++) sum += x[t] * x[t + lag];
      total += sum / n;
    }
    return total / this.centredChains.length;
  }

  private transformAll(): void {
    const chains = this.centredChains;
    for (let k = 0; k < chains.length; k += 2) {
      this.fft.computePair(chains[k], chains[k + 1], this.transformed[k], this.transformed[k + 1]);
    }
    for (let lag = this.lagsKnown; lag < this.length; lag++) {
      let total = 0;
      for (const gamma of this.transformed) total += gamma[lag];
      this.byLag[lag] = total / chains.length;
    }
    this.lagsKnown = this.length;
  }
}

/**
 * Autocovariances of a series at every lag by FFT: the biased
 * gamma_k = (1/n) sum_{t=0}^{n-1-k} (x_t - xbar)(x_{t+k} - xbar), k = 0..n-1, as
 * IFFT(|FFT(x - xbar)|^2) / n (Wiener-Khinchin), zero-padded to m >= 2n so that the circular
 * correlation equals the linear one. Two real series share one complex transform: the first as the
 * real part and the second as the imaginary part. Holds its buffers and tables, so one instance
 * serves every chain of one length.
 */
export class AutocovarianceFft {
  readonly length: number;
  private readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** cos(2 pi k / m) and -sin(2 pi k / m), k < m/2: the forward-transform twiddle factors. */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  private readonly bitReversed: Uint32Array;

  constructor(length: number) {
    this.length = length;
    let size = 1;
    let bits = 0;
    while (size < 2 * length) {
      size *= 2;
      bits += 1;
    }
    this.size = size;
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    this.twiddleRe = new Float64Array(size / 2);
    this.twiddleIm = new Float64Array(size / 2);
    for (let k = 0; k < size / 2; k++) {
      const angle = (2 * Math.PI * k) / size;
      this.twiddleRe[k] = Math.cos(angle);
      this.twiddleIm[k] = -Math.sin(angle);
    }
    this.bitReversed = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let reversed = 0;
      for (let b = 0; b < bits; b++) reversed |= ((i >>> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = reversed;
    }
  }

  /** Writes the autocovariances of `a` into `outA` and those of `b` into `outB` (all of this instance's length). */
  computePair(a: Float64Array, b: Float64Array, outA: Float64Array, outB: Float64Array): void {
    const n = this.length;
    const m = this.size;
    const { re, im } = this;
    const meanA = meanOf(a);
    const meanB = meanOf(b);
    for (let t = 0; t < n; t++) {
      re[t] = a[t] - meanA;
      im[t] = b[t] - meanB;
    }
    re.fill(0, n);
    im.fill(0, n);
    this.forwardTransform();
    // Z = A + iB with A, B the transforms of the two real series: A_k = (Z_k + conj Z_{m-k}) / 2 and
    // B_k = (Z_k - conj Z_{m-k}) / 2i. Their power spectra |A_k|^2, |B_k|^2 are real and even in k.
    for (let k = 0; k <= m / 2; k++) {
      const j = (m - k) % m;
      const aRe = 0.5 * (re[k] + re[j]);
      const aIm = 0.5 * (im[k] - im[j]);
      const bRe = 0.5 * (im[k] + im[j]);
      const bIm = -0.5 * (re[k] - re[j]);
      const powerA = aRe * aRe + aIm * aIm;
      const powerB = bRe * bRe + bIm * bIm;
      re[k] = powerA;
      im[k] = powerB;
      re[j] = powerA;
      im[j] = powerB;
    }
    // The inverse transform of an even sequence equals its forward transform divided by m; the
    // spectra are even and real, so the real and imaginary parts hold the two autocovariances.
    this.forwardTransform();
    const scale = 1 / (m * n);
    for (let k = 0; k < n; k++) {
      outA[k] = re[k] * scale;
      outB[k] = im[k] * scale;
    }
  }

  /** In-place radix-2 decimation-in-time FFT X_k = sum_t x_t exp(-2 pi i t k / m) (Cooley & Tukey 1965). */
  private forwardTransform(): void {
    const m = this.size;
    const { re, im, twiddleRe, twiddleIm, bitReversed } = this;
    for (let i = 0; i < m; i++) {
      const j = bitReversed[i];
      if (j > i) {
        const r = re[i];
        re[i] = re[j];
        re[j] = r;
        const s = im[i];
        im[i] = im[j];
        im[j] = s;
      }
    }
    for (let half = 1; half < m; half *= 2) {
      const stride = m / (2 * half);
      for (let start = 0; start < m; start += 2 * half) {
        for (let k = 0; k < half; k++) {
          const wRe = twiddleRe[k * stride];
          const wIm = twiddleIm[k * stride];
          const top = start + k;
          const bottom = top + half;
          const tRe = wRe * re[bottom] - wIm * im[bottom];
          const tIm = wRe * im[bottom] + wIm * re[bottom];
          re[bottom] = re[top] - tRe;
          im[bottom] = im[top] - tIm;
          re[top] += tRe;
          im[top] += tIm;
        }
      }
    }
  }
}

function meanOf(x: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  return sum / x.length;
}
