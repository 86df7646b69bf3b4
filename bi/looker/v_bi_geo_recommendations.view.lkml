# Every optimisation request by market (mmm optimize --by geo) of each run, per ranked plan and (geo, channel) pair.
# Columns: docs/bi.md.
view: v_bi_geo_recommendations {
  sql_table_name: @{dataset}.v_bi_geo_recommendations ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.request_id, '|', cast(${TABLE}.rank as string), '|', ${TABLE}.geo, '|', ${TABLE}.channel) ;;
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
    description: "the run the request was answered from"
    sql: ${TABLE}.run_id ;;
  }

  dimension: is_current {
    type: yesno
    description: "the run is current"
    sql: ${TABLE}.is_current ;;
  }

  dimension: request_id {
    type: string
    description: "the optimisation request by market"
    sql: ${TABLE}.request_id ;;
  }

  dimension_group: requested {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when it was made"
    sql: ${TABLE}.requested_at ;;
  }

  dimension: is_latest_request {
    type: yesno
    description: "the run's latest request by market (by requested_at)"
    sql: ${TABLE}.is_latest_request ;;
  }

  dimension: constraints {
    type: string
    description: "the request's budget and constraints (JSON text)"
    sql: ${TABLE}.constraints ;;
  }

  dimension: rank {
    type: number
    description: "1 = the optimiser's plan"
    sql: ${TABLE}.rank ;;
  }

  dimension: geo {
    type: string
    description: "the geo"
    sql: ${TABLE}.geo ;;
  }

  dimension: channel {
    type: string
    description: "paid channel"
    sql: ${TABLE}.channel ;;
  }

  dimension: current_spend {
    type: number
    value_format_name: decimal_0
    description: "the pair's current spend"
    sql: ${TABLE}.current_spend ;;
  }

  dimension: recommended_spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's spend in the pair"
    sql: ${TABLE}.recommended_spend ;;
  }

  dimension: delta_vs_current {
    type: number
    value_format_name: decimal_0
    description: "recommended_spend - current_spend"
    sql: ${TABLE}.delta_vs_current ;;
  }

  dimension: delta_share {
    type: number
    value_format_name: percent_1
    description: "delta_vs_current / current_spend; null when current spend is 0"
    sql: ${TABLE}.delta_share ;;
  }

  dimension: outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "expected total outcome of the plan (calibrated)"
    sql: ${TABLE}.outcome_mean ;;
  }

  dimension: outcome_p05 {
    type: number
    value_format_name: decimal_0
    description: "5th percentile of expected total outcome of the plan (calibrated)"
    sql: ${TABLE}.outcome_p05 ;;
  }

  dimension: outcome_p95 {
    type: number
    value_format_name: decimal_0
    description: "95th percentile of expected total outcome of the plan (calibrated)"
    sql: ${TABLE}.outcome_p95 ;;
  }

  dimension: p_beats_current {
    type: number
    value_format_name: percent_1
    description: "probability that the plan beats the current mix"
    sql: ${TABLE}.p_beats_current ;;
  }

  dimension: method {
    type: string
    description: "dp (exact on the spend grid) or lagrangian (market and channel totals together)"
    sql: ${TABLE}.method ;;
  }

  dimension: gap {
    type: number
    value_format_name: percent_2
    description: "the answer's optimality gap, relative to the paid-media outcome"
    sql: ${TABLE}.gap ;;
  }

  dimension: moved {
    type: yesno
    description: "the pair's spend changed by more than half a grid step; null for requests answered before the evidence was recorded"
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
    description: "share of posterior draws in which the pair's move beats keeping it at current spend with the money spread over the other pairs (docs/decision-layer.md); null where it did not move"
    value_format_name: percent_0
    sql: ${TABLE}.p_move_helps ;;
  }

  measure: total_current_spend {
    type: sum
    label: "Current spend"
    value_format_name: decimal_0
    sql: ${current_spend} ;;
  }

  measure: total_recommended_spend {
    type: sum
    label: "Recommended spend"
    value_format_name: decimal_0
    sql: ${recommended_spend} ;;
  }

  measure: total_change {
    type: sum
    label: "Change in spend"
    value_format_name: decimal_0
    sql: ${delta_vs_current} ;;
  }

  measure: change_share {
    type: number
    label: "Change in spend (%)"
    description: "Ratio of sums: change / current spend over the rows in the query."
    value_format_name: percent_1
    sql: 1.0 * ${total_change} / nullif(${total_current_spend}, 0) ;;
  }

  measure: gap_max {
    type: max
    label: "Optimality gap"
    description: "The largest optimality gap over the requests in the query."
    value_format_name: percent_2
    sql: ${gap} ;;
  }
}
