/** The pass / warn / fail verdict: thresholds, reason texts naming parameters and chains, the typed error. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  assertDiagnosticsPass,
  defaultThresholds,
  diagnose,
  diagnoseSummaries,
  DiagnosticsFailedError,
  DiagnosticsInputError,
  ebfmi,
  summarizeParameters,
  type Diagnostics,
  type SamplerHealthInput,
} from '../../src/inference/diagnostics/index.ts';
import { explainParameter } from '../../src/model/parameter-families.ts';

const fixture = (name: string) =>
  z
    .object({
      chains: z.array(z.array(z.number())),
      expected: z.object({ rhat: z.number(), essBulk: z.number(), essTail: z.number() }),
    })
    .parse(JSON.parse(readFileSync(new URL(`../fixtures/diagnostics/${name}.json`, import.meta.url), 'utf8')));
const chainsOf = (name: string): Float64Array[] => fixture(name).chains.map((c) => Float64Array.from(c));

// All 4 chains x 500 draws. R-hat / bulk ESS / tail ESS (ArviZ): iid 1.005 / 2009 / 1953 and
// student-t 1.002 / 1765 / 2013 pass; constant stretch 1.013 / 287 / 1972 warns; AR(1) 0.9
// 1.074 / 38 / 352 and shifted means 1.087 / 31 / 481 fail.
const iid = chainsOf('iid_normal_4x500');
const studentT = chainsOf('student_t2_4x500');
const stretch = chainsOf('constant_stretch_4x500');
const ar1 = chainsOf('ar1_rho09_4x500');
const shifted = chainsOf('shifted_means_4x500');

/** No divergences, shallow trees, and white-noise energy (E-BFMI near 2) in every chain. */
function healthy(): SamplerHealthInput {
  return {
    divergent: iid.map(() => new Uint8Array(500)),
    treeDepth: iid.map(() => new Uint8Array(500).fill(4)),
    energy: iid.map((chain) => chain.map((x) => 50 + x)),
    maxTreeDepth: 10,
  };
}

describe('parameter checks', () => {
  it('passes well-mixed parameters and reports the extremes', () => {
    const d = diagnose(
      [
        { name: 'roi[TV]', chains: iid },
        { name: 'sigma', chains: studentT },
      ],
      healthy(),
    );
    expect(d.verdict).toBe('pass');
    expect(d.reasons).toEqual([]);
    expect(d.maxRhat).toBeCloseTo(fixture('iid_normal_4x500').expected.rhat, 12);
    expect(d.minEssBulk).toBeCloseTo(fixture('student_t2_4x500').expected.essBulk, 9);
    expect(d.minEssTail).toBeCloseTo(fixture('iid_normal_4x500').expected.essTail, 9);
    expect(d.worstParameters.map((p) => p.name)).toEqual(['roi[TV]', 'sigma']);
    expect(d.minEbfmi).toBe(Math.min(...healthy().energy.map(ebfmi)));
    expect([d.divergences, d.divergenceRate, d.treeDepthHits]).toEqual([0, 0, 0]);
  });

  it('warns on R-hat between 1.01 and 1.05 and bulk ESS between 100 and 400', () => {
    const d = diagnose(
      [
        { name: 'roi[TV]', chains: iid },
        { name: 'adstock[Radio]', chains: stretch },
      ],
      healthy(),
    );
    expect(d.verdict).toBe('warn');
    expect(d.reasons).toEqual(['R-hat 1.013 for adstock[Radio] exceeds 1.01', 'bulk ESS 287 for adstock[Radio] is below 400']);
    expect(d.worstParameters[0].name).toBe('adstock[Radio]');
  });

  it('fails on R-hat above 1.05 and bulk ESS below 100, naming the worst parameter first', () => {
    const d = diagnose(
      [
        { name: 'sigma', chains: iid },
        { name: 'roi[TV]', chains: ar1 },
        { name: 'beta[Search]', chains: shifted },
      ],
      healthy(),
    );
    expect(d.verdict).toBe('fail');
    expect(d.reasons).toEqual([
      'R-hat 1.09 for beta[Search] exceeds 1.05 (1 more parameter: roi[TV] 1.07)',
      'bulk ESS 31 for beta[Search] is below 100 (1 more parameter: roi[TV] 38)',
      'tail ESS 352 for roi[TV] is below 400',
    ]);
    expect(d.worstParameters.map((p) => p.name)).toEqual(['beta[Search]', 'roi[TV]', 'sigma']);
    expect(d.maxRhat).toBeCloseTo(fixture('shifted_means_4x500').expected.rhat, 12);
  });

  it('names at most five offenders per reason and lists five worst parameters', () => {
    const names = ['mu[1]', 'mu[2]', 'mu[3]', 'mu[4]', 'mu[5]', 'mu[6]', 'mu[7]'];
    const d = diagnose(
      names.map((name) => ({ name, chains: ar1 })),
      healthy(),
    );
    expect(d.reasons[0]).toBe(
      'R-hat 1.07 for mu[1] exceeds 1.05 (6 more parameters: mu[2] 1.07, mu[3] 1.07, mu[4] 1.07, mu[5] 1.07 and 2 others)',
    );
    expect(d.worstParameters).toHaveLength(5);
  });

  it('fails on non-finite and on constant draws, naming the parameters', () => {
    const withNaN = iid.map((chain) => chain.slice());
    withNaN[2][100] = Number.NaN;
    const constant = iid.map(() => new Float64Array(500).fill(0.7));
    const d = diagnose(
      [
        { name: 'roi[TV]', chains: withNaN },
        { name: 'ec[Radio]', chains: constant },
        { name: 'sigma', chains: iid },
      ],
      healthy(),
    );
    expect(d.verdict).toBe('fail');
    expect(d.reasons).toEqual([
      'roi[TV] has non-finite draws (NaN or infinite)',
      'draws of ec[Radio] are identical in every chain, so its R-hat is undefined',
    ]);
    expect(d.maxRhat).toBeNaN();
    expect(d.worstParameters.slice(0, 2).map((p) => p.name)).toEqual(['roi[TV]', 'ec[Radio]']);
  });

  it('applies custom thresholds', () => {
    const d = diagnose([{ name: 'roi[TV]', chains: ar1 }], healthy(), {
      ...defaultThresholds,
      rhatFail: 1.1,
      essBulkFail: 30,
      essTailWarn: 300,
    });
    expect(d.verdict).toBe('warn');
    expect(d.reasons).toEqual(['R-hat 1.07 for roi[TV] exceeds 1.01', 'bulk ESS 38 for roi[TV] is below 400']);
  });

  it('rejects inconsistent thresholds', () => {
    expect(() => diagnose([{ name: 'sigma', chains: iid }], healthy(), { ...defaultThresholds, rhatWarn: 1.1 })).toThrow(
      /rhatWarn must not exceed rhatFail/,
    );
  });
});

describe('sampler checks', () => {
  const judge = (health: SamplerHealthInput): Diagnostics => diagnose([{ name: 'sigma', chains: iid }], health);
  const markFirst = (traces: Uint8Array[], count: number, value: number): void => {
    for (let i = 0; i < count; i++) traces[i % traces.length][Math.floor(i / traces.length)] = value;
  };

  const divergenceAdvice =
    ': the sampler met sharp curvature, usually a baseline that cannot follow the data or effects the data ' +
    'cannot tell apart; add knots or controls, or raise sampler.targetAccept (e.g. 0.95) and sampler.warmup';
  it('warns on any divergence and fails beyond 1% of transitions, saying what to change', () => {
    const cases: [number, string, string][] = [
      [1, 'warn', `1 of 2000 transitions diverged (0.05%)${divergenceAdvice}`],
      [20, 'warn', `20 of 2000 transitions diverged (1%)${divergenceAdvice}`],
      [21, 'fail', `21 of 2000 transitions diverged (1.05%, more than 1%)${divergenceAdvice}`],
    ];
    for (const [count, verdict, reason] of cases) {
      const health = healthy();
      markFirst(health.divergent, count, 1);
      const d = judge(health);
      expect([d.verdict, d.reasons, d.divergences, d.divergenceRate]).toEqual([verdict, [reason], count, count / 2000]);
    }
  });

  it('warns when more than 1% of transitions hit the maximum tree depth', () => {
    const atLimit = healthy();
    markFirst(atLimit.treeDepth, 20, 10);
    expect([judge(atLimit).verdict, judge(atLimit).treeDepthHits]).toEqual(['pass', 20]);
    const beyond = healthy();
    markFirst(beyond.treeDepth, 21, 10);
    const d = judge(beyond);
    expect(d.verdict).toBe('warn');
    expect(d.reasons).toEqual([
      '21 of 2000 transitions hit the maximum tree depth 10 (1.05%, more than 1%): some parameters trade off ' +
        'strongly (e.g. trend knots against seasonality or always-on media); fewer knots or harmonics ease it, or sampler.maxTreeDepth 12 ' +
        'lets the sampler take longer paths',
    ]);
  });

  it('warns on E-BFMI below 0.3 and fails when a chain energy never changes or is not finite, naming the chain', () => {
    const health = healthy();
    health.energy[0] = ar1[0].map((x) => 30 + x);
    health.energy[2] = new Float64Array(500).fill(31);
    health.energy[3][250] = Number.POSITIVE_INFINITY;
    const d = judge(health);
    const sticky = ebfmi(health.energy[0]);
    expect(sticky).toBeLessThan(0.3);
    expect(d.verdict).toBe('fail');
    expect(d.reasons).toEqual([
      'E-BFMI is undefined for chain 3 of 4: its energy never changes',
      'E-BFMI is undefined for chain 4 of 4: its energy has non-finite values',
      `E-BFMI ${sticky.toFixed(2)} for chain 1 of 4 is below 0.3: the chain explores the posterior's spread slowly (often a ` +
        'hierarchical scale near zero); a longer sampler.warmup helps, or tighter priors on the geo spreads',
    ]);
    expect(d.minEbfmi).toBeNaN();
  });

  it('rejects sampler statistics that do not match the draws', () => {
    const short = healthy();
    short.energy[1] = short.energy[1].subarray(0, 499);
    expect(() => judge(short)).toThrow(
      new DiagnosticsInputError('sampler statistics: energy of chain 1 has 499 transitions but divergent of chain 0 has 500'),
    );
    const threeChains = healthy();
    for (const key of ['divergent', 'treeDepth', 'energy'] as const) threeChains[key].pop();
    expect(() => judge(threeChains)).toThrow(
      new DiagnosticsInputError('diagnose: parameter draws are 4 chains x 500 but the sampler statistics are 3 chains x 500'),
    );
    expect(() => judge({ ...healthy(), energy: [] })).toThrow(DiagnosticsInputError);
    expect(() => diagnose([], healthy())).toThrow(DiagnosticsInputError);
  });
});

describe('plain-language causes', () => {
  const explain = (name: string) => explainParameter(name, 1);

  it('explains R-hat on the baseline knots and suggests knots or a control', () => {
    const d = diagnose(
      [
        { name: 'sigma', chains: iid },
        { name: 'trend[2]', chains: shifted },
      ],
      healthy(),
      defaultThresholds,
      { explain },
    );
    expect(d.verdict).toBe('fail');
    expect(d.reasons[0]).toBe(
      'R-hat 1.09 for trend[2] exceeds 1.05: on the baseline knots, the baseline moves more than the model allows, ' +
        'or the knots trade off with always-on media; add knots (model.knots, now 1) or a control for what moves the level ' +
        '(price, distribution, a competitor)',
    );
  });

  it("explains by the worst parameter's family: media effects name the channel", () => {
    const d = diagnose(
      [
        { name: 'roi[tv]', chains: shifted },
        { name: 'adstock[tv]', chains: ar1 },
      ],
      healthy(),
      defaultThresholds,
      { explain },
    );
    expect(d.reasons[0]).toMatch(
      /^R-hat 1.09 for roi\[tv\] exceeds 1.05 \(1 more parameter: adstock\[tv\] 1.07\): on the media effect of tv, /,
    );
    expect(d.reasons[0]).toContain('give tv an ROI prior from a lift test');
  });

  it('knows every family the MMM names and leaves unknown names unexplained', () => {
    for (const name of [
      'level',
      'level[g1]',
      'trend[1]',
      'trend_spread',
      'trend_dev[g1,1]',
      'season[sin1]',
      'season[cos_drift2]',
      'gamma[price]',
      'gamma_dev[g1,price]',
      'xi[price]',
      'roi[tv]',
      'beta[tv]',
      'beta_dev[g1,tv]',
      'eta[tv]',
      'adstock[tv]',
      'ec[tv]',
      'lam[tv]',
      'slope[tv]',
      'sigma',
      'sigma[g1]',
    ]) {
      expect(explainParameter(name, 3), name).not.toBeNull();
    }
    expect(explainParameter('gamma_dev[g1,price]', 3)?.family).toBe('the geo values of the control price');
    expect(explainParameter('mu[1]', 3)).toBeNull();
  });

  it('folds the findings of other checks into the verdict, failures first', () => {
    const findings = [{ level: 'fail' as const, text: 'residuals are autocorrelated' }];
    const d = diagnose(
      [
        { name: 'roi[TV]', chains: iid },
        { name: 'adstock[Radio]', chains: stretch },
      ],
      healthy(),
      defaultThresholds,
      { findings },
    );
    expect(d.verdict).toBe('fail');
    expect(d.reasons[0]).toBe('residuals are autocorrelated');
    expect(d.reasons.slice(1)).toEqual(['R-hat 1.013 for adstock[Radio] exceeds 1.01', 'bulk ESS 287 for adstock[Radio] is below 400']);
    expect(
      diagnose([{ name: 'roi[TV]', chains: iid }], healthy(), defaultThresholds, { findings: [{ level: 'warn', text: 'low coverage' }] })
        .verdict,
    ).toBe('warn');
  });
});

describe('diagnoseSummaries', () => {
  it('gives the same diagnostics from summaries computed beforehand', () => {
    const parameters = [
      { name: 'roi[TV]', chains: ar1 },
      { name: 'sigma', chains: iid },
    ];
    expect(diagnoseSummaries(summarizeParameters(parameters), healthy())).toEqual(diagnose(parameters, healthy()));
  });
});

describe('assertDiagnosticsPass', () => {
  it('throws a DiagnosticsFailedError carrying the diagnostics when the verdict is fail', () => {
    const d = diagnose([{ name: 'roi[TV]', chains: ar1 }], healthy());
    let thrown: unknown;
    try {
      assertDiagnosticsPass(d);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DiagnosticsFailedError);
    const failure = thrown as DiagnosticsFailedError;
    expect(failure.name).toBe('DiagnosticsFailedError');
    expect(failure.diagnostics).toBe(d);
    expect(failure.message).toBe(`diagnostics failed (sampler or misspecification checks): ${d.reasons.join(' | ')}`);
    expect(failure.message).toContain('R-hat 1.07 for roi[TV] exceeds 1.05');
  });

  it('returns quietly on pass and on warn', () => {
    expect(() => assertDiagnosticsPass(diagnose([{ name: 'sigma', chains: iid }], healthy()))).not.toThrow();
    expect(() => assertDiagnosticsPass(diagnose([{ name: 'ec[TV]', chains: stretch }], healthy()))).not.toThrow();
  });
});
