# Every answered plan's spend per scenario and channel over the horizon.
# Columns: docs/bi.md.
view: v_bi_plan_allocations {
  sql_table_name: @{dataset}.v_bi_plan_allocations ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.plan_id, '|', ${TABLE}.scenario, '|', ${TABLE}.channel) ;;
  }

  dimension: model_id {
    type: string
    hidden: yes
    description: "the model"
    sql: ${TABLE}.model_id ;;
  }

  dimension: run_id {
    type: string
    hidden: yes
    description: "the run the plan was answered from"
    sql: ${TABLE}.run_id ;;
  }

  dimension: is_current {
    type: yesno
    description: "the run is current"
    sql: ${TABLE}.is_current ;;
  }

  dimension: plan_id {
    type: string
    description: "the answered plan (one mmm plan --model or planWorkflow request)"
    sql: ${TABLE}.plan_id ;;
  }

  dimension_group: requested {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when it was asked"
    sql: ${TABLE}.requested_at ;;
  }

  dimension: is_latest_plan {
    type: yesno
    description: "the run's latest plan (by requested_at)"
    sql: ${TABLE}.is_latest_plan ;;
  }

  dimension: scenario {
    type: string
    description: "as in v_bi_plan_scenarios"
    sql: ${TABLE}.scenario ;;
  }

  dimension: channel {
    type: string
    description: "paid channel"
    sql: ${TABLE}.channel ;;
  }

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "the scenario's spend on the channel over the horizon"
    sql: ${TABLE}.spend ;;
  }

  dimension: share {
    type: number
    value_format_name: percent_1
    description: "spend / the scenario's total spend"
    sql: ${TABLE}.share ;;
  }

  dimension: reference_spend {
    type: number
    value_format_name: decimal_0
    description: "the channel's spend in the reference plan"
    sql: ${TABLE}.reference_spend ;;
  }

  dimension: delta_vs_reference {
    type: number
    value_format_name: decimal_0
    description: "spend - reference_spend"
    sql: ${TABLE}.delta_vs_reference ;;
  }

  dimension: contribution_mean {
    type: number
    value_format_name: decimal_0
    description: "the channel's expected outcome over the horizon at this spend (calibrated)"
    sql: ${TABLE}.contribution_mean ;;
  }

  dimension: contribution_p05 {
    type: number
    value_format_name: decimal_0
    description: "its 5th percentile"
    sql: ${TABLE}.contribution_p05 ;;
  }

  dimension: contribution_p95 {
    type: number
    value_format_name: decimal_0
    description: "its 95th percentile"
    sql: ${TABLE}.contribution_p95 ;;
  }

  dimension: roi {
    type: number
    description: "contribution_mean / spend; null at zero spend"
    sql: ${TABLE}.roi ;;
  }

  dimension: moved {
    type: yesno
    description: "the channel's spend differs from the reference plan's by more than half a grid step; null for the reference scenario and plans answered before the evidence was recorded"
    sql: ${TABLE}.moved ;;
  }

  dimension: evidence_label {
    type: string
    description: "the run's evidence for the channel: 'not informed by the data' where its ROI contraction is below 0.1"
    sql: ${TABLE}.evidence_label ;;
  }

  dimension: p_move_helps {
    type: number
    label: "P(move helps)"
    description: "share of posterior draws in which the channel's move from its reference spend beats keeping it there with the money spread over the other channels (docs/decision-layer.md); null where it did not move"
    value_format_name: percent_0
    sql: ${TABLE}.p_move_helps ;;
  }

  measure: total_plan_spend {
    type: sum
    label: "Spend"
    value_format_name: decimal_0
    sql: ${spend} ;;
  }

  measure: total_reference_spend {
    type: sum
    label: "Reference spend"
    value_format_name: decimal_0
    sql: ${reference_spend} ;;
  }

  measure: total_contribution {
    type: sum
    label: "Outcome"
    value_format_name: decimal_0
    sql: ${contribution_mean} ;;
  }

  measure: total_roi {
    type: number
    label: "ROI"
    description: "Ratio of sums: outcome / spend over the rows in the query."
    value_format_name: decimal_2
    sql: 1.0 * ${total_contribution} / nullif(${total_plan_spend}, 0) ;;
  }
}
