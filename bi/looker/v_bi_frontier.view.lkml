# Plans by budget: efficient frontier, alternatives, current mix and the latest recommendation.
# Columns: docs/bi.md.
view: v_bi_frontier {
  sql_table_name: @{dataset}.v_bi_frontier ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.plan_type, '|', cast(${TABLE}.rank as string), '|', cast(${TABLE}.total_spend as string)) ;;
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

  dimension: plan_type {
    type: string
    description: "optimal, alternative, current_mix or recommended"
    sql: ${TABLE}.plan_type ;;
  }

  dimension: rank {
    type: number
    description: "1 = best plan of its kind at its budget"
    sql: ${TABLE}.rank ;;
  }

  dimension: total_spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's total budget"
    sql: ${TABLE}.total_spend ;;
  }

  dimension: budget_level {
    type: number
    value_format_name: decimal_2
    description: "total_spend over the current plan's; null when the surface has no current plan at level 1"
    sql: ${TABLE}.budget_level ;;
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
    description: "probability that the plan beats the current mix at the same budget; null for the current mix"
    sql: ${TABLE}.p_beats_current ;;
  }

  dimension: is_current_plan {
    type: yesno
    description: "the current plan: the current mix at the current budget"
    sql: ${TABLE}.is_current_plan ;;
  }

  measure: plans {
    type: count
    label: "Plans"
  }

  measure: best_expected_outcome {
    type: max
    label: "Best expected outcome"
    value_format_name: decimal_0
    sql: ${outcome_mean} ;;
  }

  measure: best_p_beats_current {
    type: max
    label: "Best P(beats current)"
    value_format_name: percent_0
    sql: ${p_beats_current} ;;
  }
}
