# Every answered plan's weekly spend and outcome: channels, baseline and total (the forecast).
# Columns: docs/bi.md.
view: v_bi_plan_weekly {
  sql_table_name: @{dataset}.v_bi_plan_weekly ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.plan_id, '|', cast(${TABLE}.week as string), '|', ${TABLE}.channel) ;;
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

  dimension_group: week {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "week start"
    sql: ${TABLE}.week ;;
  }

  dimension: channel {
    type: string
    description: "a channel, baseline or total"
    sql: ${TABLE}.channel ;;
  }

  dimension: series_type {
    type: string
    description: "channel, baseline or total"
    sql: ${TABLE}.series_type ;;
  }

  dimension: is_carryover_week {
    type: yesno
    description: "a week after the horizon whose carry-over outcome counts (count_carryover)"
    sql: ${TABLE}.is_carryover_week ;;
  }

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's spend in the week (the channels' sum on total, 0 on baseline)"
    sql: ${TABLE}.spend ;;
  }

  dimension: outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "expected outcome in the week (parameter uncertainty only) (calibrated)"
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

  dimension: predictive_p05 {
    type: number
    value_format_name: decimal_0
    description: "5th percentile of the week's observed total outcome (observation noise included); total rows only"
    sql: ${TABLE}.predictive_p05 ;;
  }

  dimension: predictive_p95 {
    type: number
    value_format_name: decimal_0
    description: "its 95th percentile"
    sql: ${TABLE}.predictive_p95 ;;
  }

  measure: forecast_outcome {
    type: sum
    label: "Forecast outcome"
    description: "Expected total outcome (the total rows), summed over the rows."
    value_format_name: decimal_0
    filters: [series_type: "total"]
    sql: ${outcome_mean} ;;
  }

  measure: planned_spend {
    type: sum
    label: "Planned spend"
    value_format_name: decimal_0
    filters: [series_type: "channel"]
    sql: ${spend} ;;
  }
}
