# Spend, incremental outcome, ROI and mROI per run and channel, with 90% intervals.
# Columns: docs/bi.md.
view: v_bi_channel_summary {
  sql_table_name: @{dataset}.v_bi_channel_summary ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.channel) ;;
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

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "spend over the data window"
    sql: ${TABLE}.spend ;;
  }

  dimension: spend_share {
    type: number
    value_format_name: percent_1
    description: "the channel's share of the run's total spend"
    sql: ${TABLE}.spend_share ;;
  }

  dimension: incremental_outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "incremental outcome of the channel (relative to switching it off), posterior mean"
    sql: ${TABLE}.incremental_outcome_mean ;;
  }

  dimension: incremental_outcome_p05 {
    type: number
    value_format_name: decimal_0
    description: "5th percentile of incremental outcome of the channel (relative to switching it off)"
    sql: ${TABLE}.incremental_outcome_p05 ;;
  }

  dimension: incremental_outcome_p95 {
    type: number
    value_format_name: decimal_0
    description: "95th percentile of incremental outcome of the channel (relative to switching it off)"
    sql: ${TABLE}.incremental_outcome_p95 ;;
  }

  dimension: contribution_share_mean {
    type: number
    value_format_name: percent_1
    description: "incremental outcome as a share of the observed outcome, posterior mean"
    sql: ${TABLE}.contribution_share_mean ;;
  }

  dimension: contribution_share_p05 {
    type: number
    value_format_name: percent_1
    description: "5th percentile of incremental outcome as a share of the observed outcome"
    sql: ${TABLE}.contribution_share_p05 ;;
  }

  dimension: contribution_share_p95 {
    type: number
    value_format_name: percent_1
    description: "95th percentile of incremental outcome as a share of the observed outcome"
    sql: ${TABLE}.contribution_share_p95 ;;
  }

  dimension: roi_mean {
    type: number
    value_format_name: decimal_2
    description: "incremental outcome per unit of spend, posterior mean"
    sql: ${TABLE}.roi_mean ;;
  }

  dimension: roi_p05 {
    type: number
    value_format_name: decimal_2
    description: "5th percentile of incremental outcome per unit of spend"
    sql: ${TABLE}.roi_p05 ;;
  }

  dimension: roi_p95 {
    type: number
    value_format_name: decimal_2
    description: "95th percentile of incremental outcome per unit of spend"
    sql: ${TABLE}.roi_p95 ;;
  }

  dimension: mroi_mean {
    type: number
    value_format_name: decimal_2
    description: "marginal ROI: return on the next 1% of spend, posterior mean"
    sql: ${TABLE}.mroi_mean ;;
  }

  dimension: mroi_p05 {
    type: number
    value_format_name: decimal_2
    description: "5th percentile of marginal ROI: return on the next 1% of spend"
    sql: ${TABLE}.mroi_p05 ;;
  }

  dimension: mroi_p95 {
    type: number
    value_format_name: decimal_2
    description: "95th percentile of marginal ROI: return on the next 1% of spend"
    sql: ${TABLE}.mroi_p95 ;;
  }

  dimension: roi_rank {
    type: number
    value_format_name: decimal_2
    description: "1 = highest roi_mean in the run (ties by channel name)"
    sql: ${TABLE}.roi_rank ;;
  }

  dimension: evidence_contraction {
    type: number
    value_format_name: decimal_2
    description: "1 - posterior sd / prior sd of log ROI: how far the data narrowed the ROI from its prior"
    sql: ${TABLE}.evidence_contraction ;;
  }

  dimension: evidence_label {
    type: string
    description: "'not informed by the data' where the contraction is below 0.1"
    sql: ${TABLE}.evidence_label ;;
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
    description: "Return on the next 1% of spend spread over the rows in proportion to their spend: sum(mROI x spend) / sum(spend)."
    value_format_name: decimal_2
    sql: 1.0 * ${spend_weighted_mroi_sum} / nullif(${total_spend}, 0) ;;
  }

  measure: contribution_share {
    type: sum
    label: "Share of outcome"
    description: "Posterior mean share of the observed outcome, summed over the rows."
    value_format_name: percent_1
    sql: ${contribution_share_mean} ;;
  }
}
