# The latest optimisation request of each run, per ranked plan and channel.
# Columns: docs/bi.md.
view: v_bi_recommendations {
  sql_table_name: @{dataset}.v_bi_recommendations ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.request_id, '|', cast(${TABLE}.rank as string), '|', ${TABLE}.channel) ;;
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
    description: "the optimisation request"
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

  dimension: constraints {
    type: string
    description: "the request's constraints and objective (JSON text)"
    sql: ${TABLE}.constraints ;;
  }

  dimension: rank {
    type: number
    description: "1 = the recommended plan, 2.. = alternatives"
    sql: ${TABLE}.rank ;;
  }

  dimension: channel {
    type: string
    description: "paid channel"
    sql: ${TABLE}.channel ;;
  }

  dimension: current_spend {
    type: number
    value_format_name: decimal_0
    description: "the channel's current spend"
    sql: ${TABLE}.current_spend ;;
  }

  dimension: recommended_spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's spend on the channel"
    sql: ${TABLE}.recommended_spend ;;
  }

  dimension: delta_vs_current {
    type: number
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

  dimension: moved {
    type: yesno
    description: "the channel's spend changed by more than half a grid step; null for requests answered before the evidence was recorded"
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
    description: "share of posterior draws in which the channel's move beats keeping it at current spend with the money spread over the other channels (docs/decision-layer.md); null where it did not move"
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

  measure: p_beats_current_max {
    type: max
    label: "P(beats current)"
    value_format_name: percent_0
    sql: ${p_beats_current} ;;
  }
}
