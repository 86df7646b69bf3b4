/**
 * The dashboard's charts as Vega-Lite specifications with their data inlined, so that a page holding
 * them needs nothing else. Two page-level controls drive them through Vega signals: `channel` (''
 * for all channels) highlights or isolates one channel, `budgetIndex` picks a point of the
 * efficient frontier; the "Next quarter" section's own control sets `planIndex`, one of the run's answered
 * plans for the next quarter; the market view's geo group selector sets `geoGroup`, the key of a selection of
 * geos (markets.ts). Each chart names the signals it declares, so the page sets only those.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { DashboardData } from './dashboard-data.ts';
import { ALL_GEOS, marketSelections, selectionKeysOfGeo } from './markets.ts';
import { BASELINE_COLOUR, channelColourScale, DECREASE_COLOUR, INCREASE_COLOUR, INK, MUTED_INK } from './palette.ts';

export const CHANNEL_SIGNAL = 'channel';
export const BUDGET_SIGNAL = 'budgetIndex';
export const PLAN_SIGNAL = 'planIndex';
export const GEO_GROUP_SIGNAL = 'geoGroup';
export type DashboardSignal = typeof CHANNEL_SIGNAL | typeof BUDGET_SIGNAL | typeof PLAN_SIGNAL | typeof GEO_GROUP_SIGNAL;

export interface DashboardChart {
  id: string;
  title: string;
  /** What the chart shows, for screen readers and as the figure caption. */
  description: string;
  signals: DashboardSignal[];
  spec: TopLevelSpec;
  /** Full width on wide screens. */
  wide: boolean;
}

/** One point of the budget control: an optimal plan of the efficient frontier. */
export interface BudgetPoint {
  index: number;
  totalSpend: number;
  budgetLevel: number | null;
  outcome: { mean: number; p05: number; p95: number };
  /** The current mix's expected outcome at the same budget level, when the surface holds it. */
  currentMixOutcome: number | null;
}

/** One position of the next-quarter control: an answered plan of the run at one budget. */
export interface PlanPoint {
  index: number;
  planId: string;
  totalSpend: number;
  /** totalSpend over the reference plan's (each channel's default budget); null when that is zero. */
  budgetLevel: number | null;
  /** Expected total outcome over the horizon (baseline included), with its 90% interval. */
  outcome: { mean: number; p05: number; p95: number };
  pBeatsReference: number | null;
}

const HALF_WIDTH = 470;
const FULL_WIDTH = 1060;
/** Budget levels closer than this are the same level (levels are decimals such as 0.05 steps). */
const LEVEL_TOLERANCE = 1e-6;

const CHANNEL_VISIBLE = `${CHANNEL_SIGNAL} === '' || datum.channel === ${CHANNEL_SIGNAL}`;
const CHANNEL_ISOLATED = `${CHANNEL_SIGNAL} !== '' && datum.channel === ${CHANNEL_SIGNAL}`;
const channelParam = { name: CHANNEL_SIGNAL, value: '' };

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelColor: INK,
    titleColor: INK,
    gridColor: '#E4E4E4',
    domainColor: MUTED_INK,
    tickColor: MUTED_INK,
  },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelColor: INK,
    titleColor: INK,
    orient: 'bottom' as const,
    direction: 'horizontal' as const,
  },
  title: { fontSize: 13, color: INK, anchor: 'start' as const, fontWeight: 600 as const, subtitleColor: MUTED_INK, subtitleFontSize: 12 },
  view: { stroke: null },
};

const highlightOpacity = (field: string) => ({
  condition: { test: `${CHANNEL_SIGNAL} === '' || datum.${field} === ${CHANNEL_SIGNAL}`, value: 1 },
  value: 0.25,
});

/** The optimal plans of the frontier in budget order: the positions of the budget control. */
export function budgetPoints(data: DashboardData): BudgetPoint[] {
  const currentMix = data.frontier.filter((p) => p.plan_type === 'current_mix');
  return data.frontier
    .filter((p) => p.plan_type === 'optimal')
    .sort((a, b) => a.total_spend - b.total_spend)
    .map((p, index) => {
      const level = p.budget_level;
      const match =
        level === null ? undefined : currentMix.find((c) => c.budget_level !== null && Math.abs(c.budget_level - level) < LEVEL_TOLERANCE);
      return {
        index,
        totalSpend: p.total_spend,
        budgetLevel: level,
        outcome: { mean: p.outcome_mean, p05: p.outcome_p05, p95: p.outcome_p95 },
        currentMixOutcome: match?.outcome_mean ?? null,
      };
    });
}

/** The budget control's starting position: the frontier point at the current budget (level 1). */
export function initialBudgetIndex(points: readonly BudgetPoint[]): number {
  let best = 0;
  points.forEach((p, i) => {
    if (p.budgetLevel !== null && Math.abs(p.budgetLevel - 1) < Math.abs((points[best].budgetLevel ?? Infinity) - 1)) best = i;
  });
  return best;
}

function roiChart(data: DashboardData): DashboardChart {
  const order = data.channels.map((c) => c.channel);
  const colour = { field: 'channel', type: 'nominal' as const, scale: channelColourScale(order), legend: null };
  const y = { field: 'channel', type: 'nominal' as const, sort: order, title: null, axis: { labelFontSize: 13 } };
  const panel = (measure: 'roi' | 'mroi', title: string, subtitle: string) => ({
    width: 190,
    height: Math.max(120, 36 * order.length),
    title: { text: title, subtitle },
    layer: [
      {
        data: { values: [{ breakEven: 1 }] },
        mark: { type: 'rule' as const, strokeDash: [4, 3], color: MUTED_INK },
        encoding: { x: { field: 'breakEven', type: 'quantitative' as const } },
      },
      {
        mark: { type: 'rule' as const, strokeWidth: 3 },
        encoding: {
          y,
          color: colour,
          opacity: highlightOpacity('channel'),
          x: {
            field: `${measure}_p05`,
            type: 'quantitative' as const,
            title: `${measure === 'roi' ? 'ROI' : 'mROI'} (90% interval)`,
            scale: { zero: true },
          },
          x2: { field: `${measure}_p95` },
        },
      },
      {
        mark: { type: 'point' as const, filled: true, size: 110, stroke: 'white', strokeWidth: 1 },
        encoding: {
          y,
          color: colour,
          opacity: highlightOpacity('channel'),
          x: { field: `${measure}_mean`, type: 'quantitative' as const },
          tooltip: [
            { field: 'channel', type: 'nominal' as const },
            { field: `${measure}_mean`, type: 'quantitative' as const, title: 'posterior mean', format: '.2f' },
            { field: `${measure}_p05`, type: 'quantitative' as const, title: '5th percentile', format: '.2f' },
            { field: `${measure}_p95`, type: 'quantitative' as const, title: '95th percentile', format: '.2f' },
          ],
        },
      },
    ],
  });
  return {
    id: 'roi',
    title: 'Return on spend by channel',
    description:
      'ROI and marginal ROI per channel: posterior mean (dot) and 90% credible interval (bar); the dashed line marks a return of 1.',
    signals: [CHANNEL_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [channelParam],
      data: {
        values: data.channels.map((c) => ({
          channel: c.channel,
          roi_mean: c.roi_mean,
          roi_p05: c.roi_p05,
          roi_p95: c.roi_p95,
          mroi_mean: c.mroi_mean,
          mroi_p05: c.mroi_p05,
          mroi_p95: c.mroi_p95,
        })),
      },
      hconcat: [
        panel('roi', 'ROI', 'incremental outcome per unit of spend'),
        panel('mroi', 'Marginal ROI', 'return on the next 1% of spend'),
      ],
    },
  };
}

function reallocationChart(data: DashboardData): DashboardChart | null {
  const plan = data.recommendations.filter((r) => r.rank === 1);
  if (plan.length === 0) return null;
  const values = plan.map((r) => ({
    channel: r.channel,
    current_spend: r.current_spend,
    recommended_spend: r.recommended_spend,
    delta_vs_current: r.delta_vs_current,
    delta_share: r.delta_share,
    direction: r.delta_vs_current >= 0 ? 'increase' : 'decrease',
  }));
  const order = [...values].sort((a, b) => b.delta_vs_current - a.delta_vs_current).map((v) => v.channel);
  // Room beyond the longest bars for their percentage labels.
  const labelRoom = [
    1.3 * Math.min(0, ...values.map((v) => v.delta_vs_current)),
    1.3 * Math.max(0, ...values.map((v) => v.delta_vs_current)),
  ];
  const y = { field: 'channel', type: 'nominal' as const, sort: order, title: null, axis: { labelFontSize: 13 } };
  const label = (direction: 'increase' | 'decrease') => ({
    transform: [{ filter: `datum.direction === '${direction}'` }],
    mark: {
      type: 'text' as const,
      align: direction === 'increase' ? ('left' as const) : ('right' as const),
      dx: direction === 'increase' ? 4 : -4,
      color: INK,
      fontSize: 12,
    },
    encoding: {
      y,
      x: { field: 'delta_vs_current', type: 'quantitative' as const },
      text: { field: 'delta_share', type: 'quantitative' as const, format: '+.0%' },
      opacity: highlightOpacity('channel'),
    },
  });
  return {
    id: 'reallocation',
    title: 'Recommended reallocation',
    description:
      'Change in spend per channel that the latest optimisation recommends, against current spend; blue bars increase, vermillion bars decrease.',
    signals: [CHANNEL_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [channelParam],
      width: HALF_WIDTH - 110,
      height: Math.max(120, 36 * values.length),
      data: { values },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: INK }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
        {
          mark: { type: 'bar', cornerRadius: 2 },
          encoding: {
            y,
            x: {
              field: 'delta_vs_current',
              type: 'quantitative',
              title: 'change in spend vs current',
              axis: { format: '~s', tickCount: 5 },
              scale: { domain: labelRoom },
            },
            color: {
              field: 'direction',
              type: 'nominal',
              scale: { domain: ['increase', 'decrease'], range: [INCREASE_COLOUR, DECREASE_COLOUR] },
              legend: { title: null },
            },
            opacity: highlightOpacity('channel'),
            tooltip: [
              { field: 'channel', type: 'nominal' },
              { field: 'current_spend', type: 'quantitative', title: 'current spend', format: ',.0f' },
              { field: 'recommended_spend', type: 'quantitative', title: 'recommended spend', format: ',.0f' },
              { field: 'delta_share', type: 'quantitative', title: 'change', format: '+.1%' },
            ],
          },
        },
        label('increase'),
        label('decrease'),
      ],
    },
  };
}

function contributionsChart(data: DashboardData): DashboardChart {
  const channels = data.channels.map((c) => c.channel);
  const values = data.contributions.map((r) => ({
    period_start: r.period_start,
    component: r.component,
    component_type: r.component_type,
    mean: r.mean,
  }));
  const parts = [
    ['baseline', 'Baseline'],
    ['control', 'Controls'],
    ['media', 'Paid media'],
  ] as const;
  const present = parts.filter(([type]) => values.some((v) => v.component_type === type));
  const partColours: Record<string, string> = { baseline: BASELINE_COLOUR, control: '#56B4E9', media: INCREASE_COLOUR };
  const x = {
    field: 'period_start',
    type: 'temporal' as const,
    scale: { type: 'utc' as const },
    axis: { format: '%b %Y', title: null, labelFontSize: 12, tickCount: { interval: 'month' as const, step: 3 } },
  };
  return {
    id: 'contributions',
    title: 'Contributions over time',
    description: 'Weekly outcome split into baseline and paid media (posterior means), then the paid media part by channel.',
    signals: [CHANNEL_SIGNAL],
    wide: true,
    spec: {
      config: CONFIG,
      params: [channelParam],
      data: { values },
      vconcat: [
        {
          title: { text: 'Baseline vs paid media', subtitle: 'posterior mean per week' },
          width: FULL_WIDTH,
          height: 170,
          transform: [
            { aggregate: [{ op: 'sum', field: 'mean', as: 'outcome' }], groupby: ['period_start', 'component_type'] },
            { calculate: `{baseline: 'Baseline', control: 'Controls', media: 'Paid media'}[datum.component_type]`, as: 'part' },
            { calculate: `{baseline: 0, control: 1, media: 2}[datum.component_type]`, as: 'stack_order' },
          ],
          mark: { type: 'area' },
          encoding: {
            x,
            y: { field: 'outcome', type: 'quantitative', stack: 'zero', axis: { format: '~s', title: 'outcome per week' } },
            color: {
              field: 'part',
              type: 'nominal',
              scale: { domain: present.map(([, label]) => label), range: present.map(([type]) => partColours[type]) },
              legend: { title: null, orient: 'top' },
            },
            order: { field: 'stack_order', type: 'quantitative' },
            tooltip: [
              { field: 'period_start', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'week of', format: '%Y-%m-%d' },
              { field: 'part', type: 'nominal' },
              { field: 'outcome', type: 'quantitative', format: ',.0f' },
            ],
          },
        },
        {
          title: { text: 'Paid media by channel', subtitle: 'incremental outcome per week (posterior mean)' },
          width: FULL_WIDTH,
          height: 170,
          transform: [{ filter: "datum.component_type === 'media'" }],
          mark: { type: 'area' },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', stack: 'zero', axis: { format: '~s', title: 'outcome per week' } },
            color: { field: 'component', type: 'nominal', scale: channelColourScale(channels), legend: { title: null, orient: 'top' } },
            opacity: highlightOpacity('component'),
            tooltip: [
              { field: 'period_start', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'week of', format: '%Y-%m-%d' },
              { field: 'component', type: 'nominal', title: 'channel' },
              { field: 'mean', type: 'quantitative', title: 'incremental outcome', format: ',.0f' },
            ],
          },
        },
      ],
      resolve: { scale: { color: 'independent' } },
    },
  };
}

function responseCurvesChart(data: DashboardData): DashboardChart {
  const channels = data.channels.map((c) => c.channel);
  // The interval band shares the colour legend; its symbols stay opaque so the legend reads clearly.
  const colour = {
    field: 'channel',
    type: 'nominal' as const,
    scale: channelColourScale(channels),
    legend: { title: null, symbolOpacity: 1 },
  };
  const x = { field: 'spend', type: 'quantitative' as const, axis: { format: '~s', title: 'spend over the data window' } };
  const tooltip = [
    { field: 'channel', type: 'nominal' as const },
    { field: 'spend_multiplier', type: 'quantitative' as const, title: 'x current spend', format: '.1f' },
    { field: 'spend', type: 'quantitative' as const, format: ',.0f' },
    { field: 'outcome_mean', type: 'quantitative' as const, title: 'incremental outcome', format: ',.0f' },
    { field: 'mroi', type: 'quantitative' as const, title: 'mROI', format: '.2f' },
  ];
  return {
    id: 'response-curves',
    title: 'Response curves',
    description:
      'Incremental outcome of each channel against its spend, with diamonds at current spend; choosing a channel shows its 90% interval.',
    signals: [CHANNEL_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [channelParam],
      width: HALF_WIDTH,
      height: 290,
      data: {
        values: data.responseCurves.map((r) => ({
          channel: r.channel,
          spend_multiplier: r.spend_multiplier,
          spend: r.spend,
          outcome_mean: r.outcome_mean,
          outcome_p05: r.outcome_p05,
          outcome_p95: r.outcome_p95,
          mroi: r.mroi,
          is_current_spend: r.is_current_spend,
        })),
      },
      layer: [
        {
          transform: [{ filter: CHANNEL_ISOLATED }],
          mark: { type: 'area', opacity: 0.22 },
          encoding: { x, y: { field: 'outcome_p05', type: 'quantitative' }, y2: { field: 'outcome_p95' }, color: colour },
        },
        {
          transform: [{ filter: CHANNEL_VISIBLE }],
          mark: { type: 'line', strokeWidth: 2.5 },
          encoding: {
            x,
            y: { field: 'outcome_mean', type: 'quantitative', axis: { format: '~s', title: 'incremental outcome' } },
            color: colour,
            tooltip,
          },
        },
        {
          transform: [{ filter: `(${CHANNEL_VISIBLE}) && datum.is_current_spend` }],
          mark: { type: 'point', shape: 'diamond', filled: true, size: 130, stroke: 'white', strokeWidth: 1 },
          encoding: { x, y: { field: 'outcome_mean', type: 'quantitative' }, color: colour, tooltip },
        },
      ],
    },
  };
}

const SERIES = {
  optimal: 'Efficient frontier (optimal mix)',
  currentMix: 'Current mix at other budgets',
  alternative: 'Alternatives at current budget',
  currentPlan: 'Current plan',
  recommended: 'Recommended plan',
} as const;

function frontierChart(data: DashboardData, points: readonly BudgetPoint[]): DashboardChart {
  const budgetIndex = new Map(points.map((p) => [p.totalSpend, p.index]));
  const values = data.frontier.map((p) => ({
    plan_type: p.plan_type,
    rank: p.rank,
    total_spend: p.total_spend,
    budget_level: p.budget_level,
    outcome_mean: p.outcome_mean,
    outcome_p05: p.outcome_p05,
    outcome_p95: p.outcome_p95,
    p_beats_current: p.p_beats_current,
    is_current_plan: p.is_current_plan === true,
    budget_index: p.plan_type === 'optimal' ? (budgetIndex.get(p.total_spend) ?? null) : null,
  }));
  const seriesOf = `datum.is_current_plan ? '${SERIES.currentPlan}' : {optimal: '${SERIES.optimal}', current_mix: '${SERIES.currentMix}', alternative: '${SERIES.alternative}', recommended: '${SERIES.recommended}'}[datum.plan_type]`;
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    legend: { title: null, columns: 2, labelLimit: 260, symbolOpacity: 1 },
    scale: { domain: Object.values(SERIES), range: [INCREASE_COLOUR, MUTED_INK, '#56B4E9', INK, DECREASE_COLOUR] },
  };
  // Point layers also encode the series as a shape, so that the legend shows each plan's symbol.
  const shape = {
    field: 'series',
    type: 'nominal' as const,
    legend: { title: null, columns: 2, labelLimit: 260, symbolOpacity: 1 },
    scale: { domain: Object.values(SERIES), range: ['stroke', 'stroke', 'circle', 'diamond', 'triangle-up'] },
  };
  const x = { field: 'total_spend', type: 'quantitative' as const, axis: { format: '~s', title: 'total budget' } };
  const y = {
    field: 'outcome_mean',
    type: 'quantitative' as const,
    axis: { format: '~s', title: 'expected outcome' },
    scale: { zero: false },
  };
  const tooltip = [
    { field: 'series', type: 'nominal' as const, title: 'plan' },
    { field: 'total_spend', type: 'quantitative' as const, title: 'budget', format: ',.0f' },
    { field: 'outcome_mean', type: 'quantitative' as const, title: 'expected outcome', format: ',.0f' },
    { field: 'outcome_p05', type: 'quantitative' as const, title: '5th percentile', format: ',.0f' },
    { field: 'outcome_p95', type: 'quantitative' as const, title: '95th percentile', format: ',.0f' },
    { field: 'p_beats_current', type: 'quantitative' as const, title: 'P(beats current mix)', format: '.0%' },
  ];
  const isSelected = `datum.plan_type === 'optimal' && datum.budget_index === ${BUDGET_SIGNAL}`;
  return {
    id: 'frontier',
    title: 'Efficient frontier',
    description:
      'Best expected outcome at each total budget with its 90% interval, the current mix at other budgets, the current plan (black diamond), the recommended plan (vermillion triangle) and the budget chosen with the budget control (vertical line).',
    signals: [BUDGET_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [{ name: BUDGET_SIGNAL, value: initialBudgetIndex(points) }],
      width: HALF_WIDTH,
      height: 290,
      data: { values },
      transform: [{ calculate: seriesOf, as: 'series' }],
      layer: [
        {
          transform: [{ filter: "datum.plan_type === 'optimal'" }],
          mark: { type: 'area', opacity: 0.18, color: INCREASE_COLOUR },
          encoding: { x, y: { field: 'outcome_p05', type: 'quantitative' }, y2: { field: 'outcome_p95' } },
        },
        {
          transform: [{ filter: "datum.plan_type === 'optimal'" }],
          mark: { type: 'line', strokeWidth: 2.5 },
          encoding: { x, y, color: colour, tooltip },
        },
        {
          transform: [{ filter: "datum.plan_type === 'current_mix'" }],
          mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 4] },
          encoding: { x, y, color: colour, tooltip },
        },
        { transform: [{ filter: isSelected }], mark: { type: 'rule', strokeWidth: 1.5, color: INK, strokeDash: [2, 2] }, encoding: { x } },
        {
          transform: [{ filter: isSelected }],
          mark: { type: 'point', size: 160, strokeWidth: 2, color: INK },
          encoding: { x, y, tooltip },
        },
        {
          transform: [{ filter: "datum.plan_type === 'alternative'" }],
          mark: { type: 'point', filled: true, size: 60 },
          encoding: { x, y, color: colour, shape, tooltip },
        },
        {
          transform: [{ filter: 'datum.is_current_plan' }],
          mark: { type: 'point', filled: true, size: 200, stroke: 'white', strokeWidth: 1 },
          encoding: { x, y, color: colour, shape, tooltip },
        },
        {
          transform: [{ filter: "datum.plan_type === 'recommended' && datum.rank === 1" }],
          mark: { type: 'point', filled: true, size: 220, stroke: 'white', strokeWidth: 1 },
          encoding: { x, y, color: colour, shape, tooltip },
        },
      ],
    },
  };
}

function allocationChart(data: DashboardData, points: readonly BudgetPoint[]): DashboardChart {
  const order = data.channels.map((c) => c.channel);
  const budgetIndex = new Map(points.map((p) => [p.totalSpend, p.index]));
  const values = data.optimalAllocations.map((a) => ({
    channel: a.channel,
    spend: a.spend,
    current_spend: a.delta_vs_current === null ? null : a.spend - a.delta_vs_current,
    budget_index: budgetIndex.get(a.total_spend) ?? null,
  }));
  const largest = Math.max(...values.map((v) => Math.max(v.spend, v.current_spend ?? 0)));
  const y = { field: 'channel', type: 'nominal' as const, sort: order, title: null, axis: { labelFontSize: 13 } };
  const x = { type: 'quantitative' as const, scale: { domain: [0, largest] }, axis: { format: '~s', title: 'spend' } };
  return {
    id: 'allocation',
    title: 'Optimal allocation at the chosen budget',
    description:
      'Spend per channel of the optimal plan at the budget chosen with the budget control (bars), against current spend (black ticks).',
    signals: [CHANNEL_SIGNAL, BUDGET_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [channelParam, { name: BUDGET_SIGNAL, value: initialBudgetIndex(points) }],
      width: HALF_WIDTH - 60,
      height: Math.max(120, 36 * order.length),
      data: { values },
      transform: [{ filter: `datum.budget_index === ${BUDGET_SIGNAL}` }],
      layer: [
        {
          mark: { type: 'bar', cornerRadius: 2 },
          encoding: {
            y,
            x: { ...x, field: 'spend' },
            color: { field: 'channel', type: 'nominal', scale: channelColourScale(order), legend: null },
            opacity: highlightOpacity('channel'),
            tooltip: [
              { field: 'channel', type: 'nominal' },
              { field: 'spend', type: 'quantitative', title: 'optimal spend', format: ',.0f' },
              { field: 'current_spend', type: 'quantitative', title: 'current spend', format: ',.0f' },
            ],
          },
        },
        { mark: { type: 'tick', color: INK, thickness: 3 }, encoding: { y, x: { ...x, field: 'current_spend' } } },
      ],
    },
  };
}

/** The run's next-quarter plans by budget: the positions of the section's control. */
export function planPoints(data: DashboardData): PlanPoint[] {
  return data.nextQuarter.plans.map((p, index) => {
    const reference = data.nextQuarter.allocations.filter((a) => a.plan_id === p.plan_id).reduce((sum, a) => sum + a.reference_spend, 0);
    return {
      index,
      planId: p.plan_id,
      totalSpend: p.total_spend,
      budgetLevel: reference > 0 ? p.total_spend / reference : null,
      outcome: { mean: p.outcome_mean, p05: p.outcome_p05, p95: p.outcome_p95 },
      pBeatsReference: p.p_beats_reference,
    };
  });
}

/** The plan the section opens on: the one closest to the reference budget. */
export function initialPlanIndex(points: readonly PlanPoint[]): number {
  let best = 0;
  for (const p of points) {
    if (Math.abs((p.budgetLevel ?? 0) - 1) < Math.abs((points[best].budgetLevel ?? 0) - 1)) best = p.index;
  }
  return best;
}

function planForecastChart(data: DashboardData, points: readonly PlanPoint[]): DashboardChart {
  const index = new Map(points.map((p) => [p.planId, p.index]));
  const values = data.nextQuarter.weekly
    .filter((w) => w.series_type === 'total')
    .map((w) => ({
      plan_index: index.get(w.plan_id) ?? null,
      week: w.week,
      outcome_mean: w.outcome_mean,
      predictive_p05: w.predictive_p05,
      predictive_p95: w.predictive_p95,
    }));
  const x = { field: 'week', type: 'temporal' as const, title: null };
  return {
    id: 'plan-forecast',
    title: 'Weekly forecast of the plan',
    description:
      'Expected total outcome per week of the plan chosen with the next-quarter budget control (line), with the 90% predictive band (what will be observed, noise included).',
    signals: [PLAN_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [{ name: PLAN_SIGNAL, value: initialPlanIndex(points) }],
      width: HALF_WIDTH - 60,
      height: 220,
      data: { values },
      transform: [{ filter: `datum.plan_index === ${PLAN_SIGNAL}` }],
      layer: [
        {
          mark: { type: 'area', color: BASELINE_COLOUR, opacity: 0.35 },
          encoding: {
            x,
            // Weekly outcomes sit far from zero (the baseline): a zero-based axis would flatten the band and the weeks' differences.
            y: { field: 'predictive_p05', type: 'quantitative', scale: { zero: false }, axis: { format: '~s', title: 'outcome per week' } },
            y2: { field: 'predictive_p95' },
          },
        },
        {
          mark: { type: 'line', color: INK, point: true },
          encoding: {
            x,
            y: { field: 'outcome_mean', type: 'quantitative' },
            tooltip: [
              { field: 'week', type: 'temporal', format: '%Y-%m-%d' },
              { field: 'outcome_mean', type: 'quantitative', title: 'expected outcome', format: ',.0f' },
              { field: 'predictive_p05', type: 'quantitative', title: 'predictive 5%', format: ',.0f' },
              { field: 'predictive_p95', type: 'quantitative', title: 'predictive 95%', format: ',.0f' },
            ],
          },
        },
      ],
    },
  };
}

function planSpendChart(data: DashboardData, points: readonly PlanPoint[]): DashboardChart {
  const order = data.channels.map((c) => c.channel);
  const index = new Map(points.map((p) => [p.planId, p.index]));
  const values = data.nextQuarter.weekly
    .filter((w) => w.series_type === 'channel' && !w.is_carryover_week)
    .map((w) => ({ plan_index: index.get(w.plan_id) ?? null, week: w.week, channel: w.channel, spend: w.spend }));
  return {
    id: 'plan-spend',
    title: 'Weekly spend of the plan',
    description: 'Planned spend per week, stacked by channel, of the plan chosen with the next-quarter budget control.',
    signals: [CHANNEL_SIGNAL, PLAN_SIGNAL],
    wide: false,
    spec: {
      config: CONFIG,
      params: [channelParam, { name: PLAN_SIGNAL, value: initialPlanIndex(points) }],
      width: HALF_WIDTH - 60,
      height: 220,
      data: { values },
      transform: [{ filter: `datum.plan_index === ${PLAN_SIGNAL}` }],
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'week', type: 'ordinal', timeUnit: 'yearmonthdate', title: null, axis: { format: '%b %d', labelAngle: -45 } },
        y: { field: 'spend', type: 'quantitative', stack: 'zero', axis: { format: '~s', title: 'spend per week' } },
        color: { field: 'channel', type: 'nominal', scale: channelColourScale(order), legend: { title: null } },
        opacity: highlightOpacity('channel'),
        tooltip: [
          { field: 'week', type: 'temporal', format: '%Y-%m-%d' },
          { field: 'channel', type: 'nominal' },
          { field: 'spend', type: 'quantitative', title: 'planned spend', format: ',.0f' },
        ],
      },
    },
  };
}

/** The "Next quarter" section's charts; none when the run has no answered plan. */
export function nextQuarterCharts(data: DashboardData): DashboardChart[] {
  const points = planPoints(data);
  return points.length === 0 ? [] : [planForecastChart(data, points), planSpendChart(data, points)];
}

/**
 * mROI per (geo, channel) pair as a heat chart (no map: the page stays offline), the geos of the selector's
 * choice only; the colour scale diverges at mROI 1, where the next unit of spend returns what it costs.
 */
function marketChart(data: DashboardData): DashboardChart {
  const { pairs } = data.markets;
  const keysOfGeo = selectionKeysOfGeo(marketSelections(data.markets));
  const values = pairs.map((p) => ({
    geo: p.geo,
    channel: p.channel,
    selections: keysOfGeo.get(p.geo) ?? [],
    spend: p.spend,
    roi_mean: p.roi_mean,
    mroi_mean: p.mroi_mean,
    mroi_p05: p.mroi_p05,
    mroi_p95: p.mroi_p95,
  }));
  const mroiDomain = [Math.min(1, ...pairs.map((p) => p.mroi_mean)), Math.max(1, ...pairs.map((p) => p.mroi_mean))];
  return {
    id: 'markets',
    title: 'Marginal ROI by market',
    description:
      "Posterior-mean mROI of each geo and channel, the geos of the geo group selector's choice: blue above 1 (the next unit of spend returns more than it costs), orange below.",
    signals: [CHANNEL_SIGNAL, GEO_GROUP_SIGNAL],
    wide: true,
    spec: {
      config: CONFIG,
      params: [channelParam, { name: GEO_GROUP_SIGNAL, value: ALL_GEOS }],
      width: { step: Math.max(60, Math.floor((FULL_WIDTH - 160) / Math.max(1, new Set(pairs.map((p) => p.channel)).size))) },
      height: { step: 24 },
      data: { values },
      transform: [{ filter: `indexof(datum.selections, ${GEO_GROUP_SIGNAL}) >= 0` }],
      mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1 },
      encoding: {
        x: { field: 'channel', type: 'nominal', title: null, axis: { orient: 'top', labelAngle: 0, labelFontSize: 13 } },
        y: { field: 'geo', type: 'nominal', title: null, sort: [...new Set(pairs.map((p) => p.geo))] },
        color: {
          field: 'mroi_mean',
          type: 'quantitative',
          title: 'mROI (posterior mean)',
          // One scale for every choice of the selector, so that a colour means the same mROI in each.
          scale: { scheme: 'blueorange', reverse: true, domain: mroiDomain, domainMid: 1 },
          legend: { orient: 'bottom', direction: 'horizontal', gradientLength: 260 },
        },
        opacity: highlightOpacity('channel'),
        tooltip: [
          { field: 'geo', type: 'nominal' },
          { field: 'channel', type: 'nominal' },
          { field: 'spend', type: 'quantitative', format: ',.0f' },
          { field: 'roi_mean', type: 'quantitative', title: 'ROI', format: '.2f' },
          { field: 'mroi_mean', type: 'quantitative', title: 'mROI', format: '.2f' },
          { field: 'mroi_p05', type: 'quantitative', title: 'mROI 5%', format: '.2f' },
          { field: 'mroi_p95', type: 'quantitative', title: 'mROI 95%', format: '.2f' },
        ],
      },
    },
  };
}

/** The market view's charts; none for a national run. */
export function marketCharts(data: DashboardData): DashboardChart[] {
  return data.markets.pairs.length === 0 ? [] : [marketChart(data)];
}

/**
 * Every chart of the dashboard, in page order: the reallocation chart only when a recommendation
 * exists, the frontier and allocation charts only when the run has a frontier.
 */
export function dashboardCharts(data: DashboardData): DashboardChart[] {
  const points = budgetPoints(data);
  const hasFrontier = points.length > 0;
  return [
    roiChart(data),
    reallocationChart(data),
    contributionsChart(data),
    responseCurvesChart(data),
    hasFrontier ? frontierChart(data, points) : null,
    hasFrontier ? allocationChart(data, points) : null,
  ].filter((chart): chart is DashboardChart => chart !== null);
}
