import { describe, expect, it } from 'vitest';
import { createRng, RngSeedError, Xoshiro128StarStar } from '../../src/math/rng.ts';

const pack = (words: Uint32Array): bigint => words.reduce((acc, word, k) => acc | (BigInt(word) << BigInt(32 * k)), 0n);
const unpack = (state: bigint): number[] => [0, 1, 2, 3].map((k) => Number((state >> BigInt(32 * k)) & 0xffffffffn));

/** One xoshiro128 state update, seen as a linear map on the 128-bit state. */
function step(state: bigint): bigint {
  const generator = new Xoshiro128StarStar(unpack(state));
  generator.nextUint32();
  return pack(generator.state);
}

/** A GF(2) matrix as its 128 columns; M v = XOR of the columns at v's set bits. */
function apply(columns: bigint[], v: bigint): bigint {
  let out = 0n;
  for (let k = 0; k < 128; k++) if ((v >> BigInt(k)) & 1n) out ^= columns[k];
  return out;
}

describe('xoshiro128**', () => {
  it('reproduces the reference output sequence for state (1, 2, 3, 4)', () => {
    const generator = new Xoshiro128StarStar([1, 2, 3, 4]);
    const outputs = Array.from({ length: 10 }, () => generator.nextUint32());
    expect(outputs).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it('jump() equals 2^64 state updates (the update matrix squared 64 times)', () => {
    let columns = Array.from({ length: 128 }, (_, k) => step(1n << BigInt(k)));
    for (let squaring = 0; squaring < 64; squaring++) {
      const current = columns;
      columns = current.map((column) => apply(current, column));
    }
    const generator = new Xoshiro128StarStar([0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x12345678]);
    const before = pack(generator.state);
    generator.jump();
    expect(pack(generator.state)).toBe(apply(columns, before));
  });

  it('rejects the all-zero state', () => {
    expect(() => new Xoshiro128StarStar([0, 0, 0, 0])).toThrow(RangeError);
  });
});

describe('createRng', () => {
  it('gives the same sequence for the same seed and stream', () => {
    const a = createRng(42, 3);
    const b = createRng(42, 3);
    const drawsA = Array.from({ length: 50 }, () => [a.uniform(), a.normal()]);
    const drawsB = Array.from({ length: 50 }, () => [b.uniform(), b.normal()]);
    expect(drawsA).toEqual(drawsB);
  });

  it('starts stream i at i jumps from stream 0', () => {
    const stream0 = createRng(7, 0);
    stream0.jump();
    stream0.jump();
    expect(Array.from(createRng(7, 2).state)).toEqual(Array.from(stream0.state));
  });

  it('gives different sequences for different seeds or streams', () => {
    const first = createRng(1, 0).uniform();
    expect(createRng(2, 0).uniform()).not.toBe(first);
    expect(createRng(1, 1).uniform()).not.toBe(first);
  });

  it('draws uniforms on [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = createRng(123, 0);
    const n = 200_000;
    let sum = 0;
    let sumSquares = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      sum += u;
      sumSquares += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // 5 standard errors: sd(U) = 0.2887, sd(U^2) = 0.2981.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan((5 * 0.2887) / Math.sqrt(n));
    expect(Math.abs(sumSquares / n - 1 / 3)).toBeLessThan((5 * 0.2981) / Math.sqrt(n));
  });

  it('draws standard normals with the right first four moments', () => {
    const rng = createRng(99, 1);
    const n = 200_000;
    const moments = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      moments[0] += z;
      moments[1] += z * z;
      moments[2] += z ** 3;
      moments[3] += z ** 4;
    }
    const [m1, m2, m3, m4] = moments.map((m) => m / n);
    // 5 standard errors: sd(Z) = 1, sd(Z^2) = sqrt(2), sd(Z^3) = sqrt(15), sd(Z^4) = sqrt(96).
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan((5 * Math.SQRT2) / Math.sqrt(n));
    expect(Math.abs(m3)).toBeLessThan((5 * Math.sqrt(15)) / Math.sqrt(n));
    expect(Math.abs(m4 - 3)).toBeLessThan((5 * Math.sqrt(96)) / Math.sqrt(n));
  });

  it('rejects seeds and streams that are not non-negative safe integers', () => {
    expect(() => createRng(-1, 0)).toThrow(RngSeedError);
    expect(() => createRng(1.5, 0)).toThrow(/seed must be a non-negative safe integer, got 1.5/);
    expect(() => createRng(1, Number.NaN)).toThrow(/stream/);
  });
});
