# Weekly outcome by component (baseline or channel) per run and geo.
# Columns: docs/bi.md.
view: v_bi_contributions {
  sql_table_name: @{dataset}.v_bi_contributions ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', cast(${TABLE}.period_start as string), '|', ${TABLE}.geo, '|', ${TABLE}.component) ;;
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

  dimension_group: period_start {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "the week (its Monday)"
    sql: ${TABLE}.period_start ;;
  }

  dimension: geo {
    type: string
    description: "the geo; all is the sum over geos of a multi-geo model"
    sql: ${TABLE}.geo ;;
  }

  dimension: is_all_geos {
    type: yesno
    description: "the row covers every geo (all, or the only geo of a national model): filter on it to avoid double counting"
    sql: ${TABLE}.is_all_geos ;;
  }

  dimension: component {
    type: string
    description: "baseline or a channel name"
    sql: ${TABLE}.component ;;
  }

  dimension: component_type {
    type: string
    description: "baseline, media (a channel) or control"
    sql: ${TABLE}.component_type ;;
  }

  dimension: mean {
    type: number
    description: "outcome of the component in the week, posterior mean"
    sql: ${TABLE}.mean ;;
  }

  dimension: p05 {
    type: number
    description: "5th percentile of the component's outcome in the week"
    sql: ${TABLE}.p05 ;;
  }

  dimension: p95 {
    type: number
    description: "95th percentile of the component's outcome in the week"
    sql: ${TABLE}.p95 ;;
  }

  measure: total_outcome {
    type: sum
    label: "Outcome"
    description: "Posterior mean outcome over all geos (the all-geos rows), summed over the rows."
    value_format_name: decimal_0
    filters: [is_all_geos: "yes"]
    sql: ${mean} ;;
  }

  measure: media_outcome {
    type: sum
    label: "Outcome from media"
    description: "Posterior mean outcome from paid channels over all geos."
    value_format_name: decimal_0
    filters: [is_all_geos: "yes", component_type: "media"]
    sql: ${mean} ;;
  }

  measure: baseline_outcome {
    type: sum
    label: "Baseline outcome"
    description: "Posterior mean baseline outcome over all geos."
    value_format_name: decimal_0
    filters: [is_all_geos: "yes", component_type: "baseline"]
    sql: ${mean} ;;
  }

  measure: media_share {
    type: number
    label: "Media share of outcome"
    value_format_name: percent_1
    sql: 1.0 * ${media_outcome} / nullif(${total_outcome}, 0) ;;
  }
}
