# Every published MMM run; is_current marks each model's current run.
# Columns: docs/bi.md.
view: v_bi_runs {
  sql_table_name: @{dataset}.v_bi_runs ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: ${TABLE}.run_id ;;
  }

  dimension: model_id {
    type: string
    description: "the model the run belongs to"
    sql: ${TABLE}.model_id ;;
  }

  dimension: run_id {
    type: string
    description: "the run"
    sql: ${TABLE}.run_id ;;
  }

  dimension: status {
    type: string
    description: "succeeded, rejected (diagnostics or calibration refused it) or failed"
    sql: ${TABLE}.status ;;
  }

  dimension: is_current {
    type: yesno
    description: "the run is the model's current run (mmm_current)"
    sql: ${TABLE}.is_current ;;
  }

  dimension_group: promoted {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when it became current; null unless current"
    sql: ${TABLE}.promoted_at ;;
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

  dimension_group: published {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when every table of the run was written"
    sql: ${TABLE}.published_at ;;
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
    description: "last week of the data window (a week start)"
    sql: ${TABLE}.data_end ;;
  }

  dimension: data_weeks {
    type: number
    description: "weeks in the data window"
    sql: ${TABLE}.data_weeks ;;
  }

  dimension: calibration_factor {
    type: number
    value_format_name: decimal_3
    description: "k of the surface calibration (calibrated = k x raw)"
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

  measure: count {
    type: count
    label: "Runs"
  }
}
