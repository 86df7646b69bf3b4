# Incremental outcome of each channel at 0 to 3 times its historical spend.
# Columns: docs/bi.md.
view: v_bi_response_curves {
  sql_table_name: @{dataset}.v_bi_response_curves ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.channel, '|', cast(${TABLE}.spend_multiplier as string)) ;;
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
    description: "the run"
    sql: ${TABLE}.run_id ;;
  }

  dimension: is_current {
    type: yesno
    description: "the run is current"
    sql: ${TABLE}.is_current ;;
  }

  dimension: channel {
    type: string
    description: "paid channel"
    sql: ${TABLE}.channel ;;
  }

  dimension: spend_multiplier {
    type: number
    value_format_name: decimal_0
    description: "spend as a multiple of the channel's historical spend"
    sql: ${TABLE}.spend_multiplier ;;
  }

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "that spend over the data window"
    sql: ${TABLE}.spend ;;
  }

  dimension: outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "incremental outcome at that spend, posterior mean"
    sql: ${TABLE}.outcome_mean ;;
  }

  dimension: outcome_p05 {
    type: number
    value_format_name: decimal_0
    description: "5th percentile of incremental outcome at that spend"
    sql: ${TABLE}.outcome_p05 ;;
  }

  dimension: outcome_p95 {
    type: number
    value_format_name: decimal_0
    description: "95th percentile of incremental outcome at that spend"
    sql: ${TABLE}.outcome_p95 ;;
  }

  dimension: roi_mean {
    type: number
    value_format_name: decimal_2
    description: "outcome_mean / spend (average return at that spend); null at zero spend"
    sql: ${TABLE}.roi_mean ;;
  }

  dimension: mroi {
    type: number
    value_format_name: decimal_2
    description: "marginal return at that spend (posterior mean)"
    sql: ${TABLE}.mroi ;;
  }

  dimension: is_current_spend {
    type: yesno
    description: "the point at current spend (multiplier 1)"
    sql: ${TABLE}.is_current_spend ;;
  }

  measure: total_spend {
    type: sum
    label: "Spend"
    value_format_name: decimal_0
    sql: ${spend} ;;
  }

  measure: total_outcome {
    type: sum
    label: "Incremental outcome"
    value_format_name: decimal_0
    sql: ${outcome_mean} ;;
  }

  measure: average_roi {
    type: number
    label: "Average ROI"
    description: "Ratio of sums: incremental outcome / spend over the rows in the query."
    value_format_name: decimal_2
    sql: 1.0 * ${total_outcome} / nullif(${total_spend}, 0) ;;
  }
}
