# Incremental outcome, ROI and mROI per run and (geo, channel) pair of a geo model, with 90% intervals.
# Columns: docs/bi.md.
view: v_bi_geo_channel_summary {
  sql_table_name: @{dataset}.v_bi_geo_channel_summary ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.geo, '|', ${TABLE}.channel) ;;
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

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "the pair's spend over the reporting window"
    sql: ${TABLE}.spend ;;
  }

  dimension: geo_spend_share {
    type: number
    value_format_name: percent_1
    description: "spend / the geo's spend over its channels"
    sql: ${TABLE}.geo_spend_share ;;
  }

  dimension: incremental_outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "the pair's incremental outcome over the window (calibrated), posterior mean"
    sql: ${TABLE}.incremental_outcome_mean ;;
  }

  dimension: incremental_outcome_p05 {
    type: number
    value_format_name: decimal_0
    description: "5th percentile of the pair's incremental outcome over the window (calibrated)"
    sql: ${TABLE}.incremental_outcome_p05 ;;
  }

  dimension: incremental_outcome_p95 {
    type: number
    value_format_name: decimal_0
    description: "95th percentile of the pair's incremental outcome over the window (calibrated)"
    sql: ${TABLE}.incremental_outcome_p95 ;;
  }

  dimension: roi_mean {
    type: number
    value_format_name: decimal_2
    description: "incremental outcome / spend, posterior mean"
    sql: ${TABLE}.roi_mean ;;
  }

  dimension: roi_p05 {
    type: number
    value_format_name: decimal_2
    description: "5th percentile of incremental outcome / spend"
    sql: ${TABLE}.roi_p05 ;;
  }

  dimension: roi_p95 {
    type: number
    value_format_name: decimal_2
    description: "95th percentile of incremental outcome / spend"
    sql: ${TABLE}.roi_p95 ;;
  }

  dimension: mroi_mean {
    type: number
    value_format_name: decimal_2
    description: "outcome of the next unit of spend in the pair, posterior mean"
    sql: ${TABLE}.mroi_mean ;;
  }

  dimension: mroi_p05 {
    type: number
    value_format_name: decimal_2
    description: "5th percentile of outcome of the next unit of spend in the pair"
    sql: ${TABLE}.mroi_p05 ;;
  }

  dimension: mroi_p95 {
    type: number
    value_format_name: decimal_2
    description: "95th percentile of outcome of the next unit of spend in the pair"
    sql: ${TABLE}.mroi_p95 ;;
  }

  dimension: mroi_rank {
    type: number
    description: "1 = highest mroi_mean over the run's pairs (ties share a rank)"
    sql: ${TABLE}.mroi_rank ;;
  }

  measure: total_spend {
    type: sum
    label: "Spend"
    value_format_name: decimal_0
    sql: ${spend} ;;
  }

  measure: total_incremental_outcome {
    type: sum
    label: "Incremental outcome"
    description: "Posterior mean incremental outcome, summed over the rows."
    value_format_name: decimal_0
    sql: ${incremental_outcome_mean} ;;
  }

  measure: roi {
    type: number
    label: "ROI"
    description: "Ratio of sums: incremental outcome / spend over the rows in the query."
    value_format_name: decimal_2
    sql: 1.0 * ${total_incremental_outcome} / nullif(${total_spend}, 0) ;;
  }

  measure: spend_weighted_mroi_sum {
    type: sum
    hidden: yes
    sql: ${mroi_mean} * ${spend} ;;
  }

  measure: mroi {
    type: number
    label: "mROI"
    description: "Return on the next unit of spend spread over the rows in proportion to their spend: sum(mROI x spend) / sum(spend)."
    value_format_name: decimal_2
    sql: 1.0 * ${spend_weighted_mroi_sum} / nullif(${total_spend}, 0) ;;
  }
}
