/**
 * Seeded, reproducible random numbers for the sampler.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021):
 * 128 bits of state in four 32-bit words, so every step is native 32-bit integer arithmetic in JS.
 * Seeding: SplitMix64 expands the seed into the state, as the xoshiro authors recommend.
 * Streams: stream i starts i jumps of 2^64 steps after stream 0, so chains never share a subsequence.
 */

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

export class RngSeedError extends Error {
  constructor(what: 'seed' | 'stream', value: number) {
    super(`rng ${what} must be a non-negative safe integer, got ${value}`);
    this.name = 'RngSeedError';
  }
}

/** Jump polynomial of xoshiro128 for 2^64 steps (Vigna's reference implementation). */
const JUMP_2_POW_64 = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export class Xoshiro128StarStar implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box-Muller yields normals in pairs; the second one waits here. */
  private spareNormal = 0;
  private hasSpareNormal = false;

  /** The four state words; they must not all be zero (the one state xoshiro never leaves). */
  constructor(state: ArrayLike<number>) {
    if (state.length !== 4 || (state[0] | state[1] | state[2] | state[3]) === 0) {
      throw new RangeError('xoshiro128** needs four state words, not all zero');
    }
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  /** A copy of the state words (unsigned), e.g. to check a jump or to resume a sequence. */
  get state(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Next 32-bit output: result = rotl(s1 * 5, 7) * 9, then the xoshiro128 linear state update. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Advances the state by 2^64 steps (evaluates the jump polynomial at the state-transition map). */
  jump(): void {
    let j0 = 0;
    let j1 = 0;
    let j2 = 0;
    let j3 = 0;
    for (const word of JUMP_2_POW_64) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          j0 ^= this.s0;
          j1 ^= this.s1;
          j2 ^= this.s2;
          j3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = j0;
    this.s1 = j1;
    this.s2 = j2;
    this.s3 = j3;
  }

  /** (27 high bits * 2^26 + 26 high bits) / 2^53: every double in [0, 1) on the 2^-53 grid, equally likely. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /** Box-Muller: r = sqrt(-2 ln u1), (r cos 2 pi u2, r sin 2 pi u2) are independent N(0, 1). */
  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    this.hasSpareNormal = true;
    return radius * Math.cos(angle);
  }
}

const MASK_64 = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea & Flood 2014) output for counter state x: the seed expander xoshiro's authors use. */
function splitMix64(x: bigint): bigint {
  let z = x & MASK_64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

const SPLITMIX_GAMMA = 0x9e3779b97f4a7c15n;

/** The generator for one (seed, stream) pair: the same pair always yields the same sequence. */
export function createRng(seed: number, stream: number): Xoshiro128StarStar {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RngSeedError('seed', seed);
  if (!Number.isSafeInteger(stream) || stream < 0) throw new RngSeedError('stream', stream);
  const counter = BigInt(seed);
  const a = splitMix64(counter + SPLITMIX_GAMMA);
  const b = splitMix64(counter + 2n * SPLITMIX_GAMMA);
  const words = [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
  const rng = new Xoshiro128StarStar(words);
  for (let i = 0; i < stream; i++) rng.jump();
  return rng;
}
