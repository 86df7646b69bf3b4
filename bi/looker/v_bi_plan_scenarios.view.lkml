# Every answered plan of each run (mmm plan, planWorkflow), per scenario: the plan, the reference plan, the goal.
# Columns: docs/bi.md.
view: v_bi_plan_scenarios {
  sql_table_name: @{dataset}.v_bi_plan_scenarios ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.plan_id, '|', ${TABLE}.scenario) ;;
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
    description: "plan (the budget allocated by the exact DP), reference (each channel's default budget with its flighting) or goal"
    sql: ${TABLE}.scenario ;;
  }

  dimension_group: horizon_start {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "the horizon's first week"
    sql: ${TABLE}.horizon_start ;;
  }

  dimension_group: horizon_end {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "its last week (carry-over weeks not included)"
    sql: ${TABLE}.horizon_end ;;
  }

  dimension: horizon_weeks {
    type: number
    description: "its number of weeks"
    sql: ${TABLE}.horizon_weeks ;;
  }

  dimension: flighting {
    type: string
    description: "even, historical, custom, or per channel (search=even, tv=custom)"
    sql: ${TABLE}.flighting ;;
  }

  dimension: trend {
    type: string
    description: "last-slope or flat"
    sql: ${TABLE}.trend ;;
  }

  dimension: count_carryover {
    type: yesno
    description: "the outcome after the horizon's end from its spend counts"
    sql: ${TABLE}.count_carryover ;;
  }

  dimension: assumptions {
    type: string
    description: "the assumptions made (budgets' basis, controls, cost per unit, trend), joined with ; "
    sql: ${TABLE}.assumptions ;;
  }

  dimension: request {
    type: string
    description: "the request (JSON text)"
    sql: ${TABLE}.request ;;
  }

  dimension: calibration_factor {
    type: number
    description: "k of the latest reporting window, applied to every outcome"
    sql: ${TABLE}.calibration_factor ;;
  }

  dimension: total_spend {
    type: number
    description: "the scenario's budget over the horizon"
    sql: ${TABLE}.total_spend ;;
  }

  dimension: outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "expected total outcome over the horizon, baseline included (calibrated)"
    sql: ${TABLE}.outcome_mean ;;
  }

  dimension: outcome_p05 {
    type: number
    value_format_name: decimal_0
    description: "its 5th percentile"
    sql: ${TABLE}.outcome_p05 ;;
  }

  dimension: outcome_p95 {
    type: number
    value_format_name: decimal_0
    description: "its 95th percentile"
    sql: ${TABLE}.outcome_p95 ;;
  }

  dimension: incremental_mean {
    type: number
    value_format_name: decimal_0
    description: "expected outcome from paid media (calibrated)"
    sql: ${TABLE}.incremental_mean ;;
  }

  dimension: incremental_p05 {
    type: number
    value_format_name: decimal_0
    description: "its 5th percentile"
    sql: ${TABLE}.incremental_p05 ;;
  }

  dimension: incremental_p95 {
    type: number
    value_format_name: decimal_0
    description: "its 95th percentile"
    sql: ${TABLE}.incremental_p95 ;;
  }

  dimension: roi {
    type: number
    description: "incremental_mean / total_spend; null at zero spend"
    sql: ${TABLE}.roi ;;
  }

  dimension: p_beats_reference {
    type: number
    value_format_name: percent_1
    description: "probability that the scenario beats the reference mix at the same budget; null for the reference"
    sql: ${TABLE}.p_beats_reference ;;
  }

  dimension: goal_target {
    type: number
    description: "the goal's target (goal rows; else null)"
    sql: ${TABLE}.goal_target ;;
  }

  dimension: goal_kind {
    type: string
    description: "total (baseline included) or incremental"
    sql: ${TABLE}.goal_kind ;;
  }

  dimension: goal_probability {
    type: number
    value_format_name: percent_1
    description: "the probability asked"
    sql: ${TABLE}.goal_probability ;;
  }

  dimension: goal_reached_probability {
    type: number
    value_format_name: percent_1
    description: "the share of draws reaching the target"
    sql: ${TABLE}.goal_reached_probability ;;
  }

  measure: total_budget {
    type: sum
    label: "Budget"
    value_format_name: decimal_0
    sql: ${total_spend} ;;
  }

  measure: total_incremental_outcome {
    type: sum
    label: "Outcome from paid media"
    value_format_name: decimal_0
    sql: ${incremental_mean} ;;
  }

  measure: plan_roi {
    type: number
    label: "ROI"
    description: "Ratio of sums: outcome from paid media / budget over the rows in the query."
    value_format_name: decimal_2
    sql: 1.0 * ${total_incremental_outcome} / nullif(${total_budget}, 0) ;;
  }
}
