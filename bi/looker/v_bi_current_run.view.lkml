# Each model's current run with headline totals.
# Columns: docs/bi.md.
view: v_bi_current_run {
  sql_table_name: @{dataset}.v_bi_current_run ;;

  dimension: pk {
    primary_key: yes
    hidden: yes
    type: string
    sql: ${TABLE}.run_id ;;
  }

  dimension: model_id {
    type: string
    description: "the model"
    sql: ${TABLE}.model_id ;;
  }

  dimension: run_id {
    type: string
    hidden: yes
    description: "the model's current run"
    sql: ${TABLE}.run_id ;;
  }

  dimension: status {
    type: string
    description: "the run's status (always succeeded for a promoted run)"
    sql: ${TABLE}.status ;;
  }

  dimension_group: promoted {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "when the run became current"
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

  dimension: channels {
    type: number
    description: "paid channels in the model"
    sql: ${TABLE}.channels ;;
  }

  dimension: total_spend {
    type: number
    value_format_name: decimal_0
    description: "spend of all channels over the data window"
    sql: ${TABLE}.total_spend ;;
  }

  dimension: media_incremental_outcome_mean {
    type: number
    value_format_name: decimal_0
    description: "incremental outcome of all channels (posterior mean)"
    sql: ${TABLE}.media_incremental_outcome_mean ;;
  }

  dimension: media_contribution_share_mean {
    type: number
    value_format_name: percent_1
    description: "that outcome as a share of the observed outcome"
    sql: ${TABLE}.media_contribution_share_mean ;;
  }

  dimension: media_roi_mean {
    type: number
    value_format_name: decimal_2
    description: "media_incremental_outcome_mean / total_spend (posterior mean of total media ROI)"
    sql: ${TABLE}.media_roi_mean ;;
  }

  measure: total_spend_sum {
    type: sum
    label: "Media spend"
    value_format_name: decimal_0
    sql: ${total_spend} ;;
  }

  measure: media_incremental_outcome {
    type: sum
    label: "Incremental outcome from media"
    value_format_name: decimal_0
    sql: ${media_incremental_outcome_mean} ;;
  }

  measure: media_roi {
    type: number
    label: "Media ROI"
    description: "Sum of incremental outcome over sum of spend."
    value_format_name: decimal_2
    sql: 1.0 * ${media_incremental_outcome} / nullif(${total_spend_sum}, 0) ;;
  }
}
