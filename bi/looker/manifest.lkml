# Project constants. `dataset` is the BigQuery dataset (or DuckDB schema) holding the v_bi_* views:
# set it to your MMM_BIGQUERY_DATASET.
constant: dataset {
  value: "mmm"
}
