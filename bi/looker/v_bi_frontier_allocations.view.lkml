# Spend per channel of each frontier plan.
# Columns: docs/bi.md.
view: v_bi_frontier_allocations {
  sql_table_name: @{dataset}.v_bi_frontier_allocations ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: concat(${TABLE}.run_id, '|', ${TABLE}.plan_type, '|', cast(${TABLE}.rank as string), '|', cast(${TABLE}.total_spend as string), '|', ${TABLE}.channel) ;;
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
    description: "optimal, alternative or current_mix"
    sql: ${TABLE}.plan_type ;;
  }

  dimension: rank {
    type: number
    description: "the plan's rank"
    sql: ${TABLE}.rank ;;
  }

  dimension: total_spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's total budget (joins to v_bi_frontier with run_id, plan_type, rank)"
    sql: ${TABLE}.total_spend ;;
  }

  dimension: budget_level {
    type: number
    value_format_name: decimal_2
    description: "total_spend over the current plan's"
    sql: ${TABLE}.budget_level ;;
  }

  dimension: channel {
    type: string
    description: "paid channel"
    sql: ${TABLE}.channel ;;
  }

  dimension: spend {
    type: number
    value_format_name: decimal_0
    description: "the plan's spend on the channel"
    sql: ${TABLE}.spend ;;
  }

  dimension: share {
    type: number
    value_format_name: percent_1
    description: "that spend as a share of the plan's budget"
    sql: ${TABLE}.share ;;
  }

  dimension: delta_vs_current {
    type: number
    description: "spend minus the channel's spend in the current plan"
    sql: ${TABLE}.delta_vs_current ;;
  }

  measure: total_spend_allocated {
    type: sum
    label: "Spend"
    value_format_name: decimal_0
    sql: ${spend} ;;
  }

  measure: total_change {
    type: sum
    label: "Change vs current"
    value_format_name: decimal_0
    sql: ${delta_vs_current} ;;
  }
}
