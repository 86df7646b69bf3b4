# The MMM explore: every published run (v_bi_runs) with the run-level BI views joined on run_id.
# It shows the current run unless the is_current filter is changed. Set the connection to yours.
connection: "mmm_bigquery"

include: "/bi/looker/*.view.lkml"

explore: mmm_runs {
  label: "Marketing mix model"
  description: "Results of published MMM runs; defaults to each model's current run."
  view_name: v_bi_runs

  always_filter: {
    filters: [v_bi_runs.is_current: "yes"]
  }

  join: v_bi_current_run {
    type: left_outer
    relationship: one_to_one
    sql_on: ${v_bi_current_run.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_channel_summary {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_channel_summary.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_contributions {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_contributions.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_response_curves {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_response_curves.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_frontier {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_frontier.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_frontier_allocations {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_frontier_allocations.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_recommendations {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_recommendations.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_model_health {
    type: left_outer
    relationship: one_to_one
    sql_on: ${v_bi_model_health.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_plan_scenarios {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_plan_scenarios.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_plan_allocations {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_plan_allocations.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_plan_weekly {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_plan_weekly.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_geo_channel_summary {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_geo_channel_summary.run_id} = ${v_bi_runs.run_id} ;;
  }

  join: v_bi_geo_recommendations {
    type: left_outer
    relationship: one_to_many
    sql_on: ${v_bi_geo_recommendations.run_id} = ${v_bi_runs.run_id} ;;
  }
}
