# Sampler diagnostics, fit metrics, data window and calibration per run.
# Columns: docs/bi.md.
view: v_bi_model_health {
  sql_table_name: @{dataset}.v_bi_model_health ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: ${TABLE}.run_id ;;
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

  dimension: status {
    type: string
    description: "succeeded, rejected or failed"
    sql: ${TABLE}.status ;;
  }

  dimension_group: created {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when the run started"
    sql: ${TABLE}.created_at ;;
  }

  dimension_group: finished {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when the run finished"
    sql: ${TABLE}.finished_at ;;
  }

  dimension_group: data_start {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "first week of the data window"
    sql: ${TABLE}.data_start ;;
  }

  dimension_group: data_end {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "last week of the data window"
    sql: ${TABLE}.data_end ;;
  }

  dimension: data_weeks {
    type: number
    description: "weeks in the data window"
    sql: ${TABLE}.data_weeks ;;
  }

  dimension: verdict {
    type: string
    description: "diagnostics verdict: pass, warn or fail"
    sql: ${TABLE}.verdict ;;
  }

  dimension: max_rhat {
    type: number
    value_format_name: decimal_3
    description: "largest rank-normalised split R-hat over the parameters"
    sql: ${TABLE}.max_rhat ;;
  }

  dimension: min_ess_bulk {
    type: number
    description: "smallest bulk effective sample size"
    sql: ${TABLE}.min_ess_bulk ;;
  }

  dimension: min_ess_tail {
    type: number
    description: "smallest tail effective sample size"
    sql: ${TABLE}.min_ess_tail ;;
  }

  dimension: divergences {
    type: number
    description: "divergent transitions after warm-up"
    sql: ${TABLE}.divergences ;;
  }

  dimension: reasons {
    type: string
    description: "the verdict's reasons, joined with ; "
    sql: ${TABLE}.reasons ;;
  }

  dimension: r2 {
    type: number
    value_format_name: decimal_2
    description: "R² of the posterior-mean fit on the training window"
    sql: ${TABLE}.r2 ;;
  }

  dimension: mape {
    type: number
    value_format_name: percent_1
    description: "mean absolute percentage error of the fit on the training window"
    sql: ${TABLE}.mape ;;
  }

  dimension: wmape {
    type: number
    value_format_name: percent_1
    description: "weighted MAPE of the fit on the training window"
    sql: ${TABLE}.wmape ;;
  }

  dimension: holdout_r2 {
    type: number
    value_format_name: decimal_2
    description: "R² on the holdout weeks; null without a holdout"
    sql: ${TABLE}.holdout_r2 ;;
  }

  dimension: holdout_mape {
    type: number
    value_format_name: percent_1
    description: "MAPE on the holdout weeks"
    sql: ${TABLE}.holdout_mape ;;
  }

  dimension: holdout_wmape {
    type: number
    value_format_name: percent_1
    description: "wMAPE on the holdout weeks"
    sql: ${TABLE}.holdout_wmape ;;
  }

  dimension: calibration_factor {
    type: number
    value_format_name: decimal_3
    description: "k of the surface calibration"
    sql: ${TABLE}.calibration_factor ;;
  }

  dimension_group: calibration_window_start {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "first week of the calibration window"
    sql: ${TABLE}.calibration_window_start ;;
  }

  dimension_group: calibration_window_end {
    type: time
    timeframes: [raw, date, week, month, quarter, year]
    datatype: date
    convert_tz: no
    description: "last week of the calibration window"
    sql: ${TABLE}.calibration_window_end ;;
  }

  measure: runs {
    type: count
    label: "Runs"
  }

  measure: worst_rhat {
    type: max
    label: "Worst R-hat"
    value_format_name: decimal_3
    sql: ${max_rhat} ;;
  }

  measure: worst_ess_bulk {
    type: min
    label: "Worst bulk ESS"
    value_format_name: decimal_0
    sql: ${min_ess_bulk} ;;
  }
}
