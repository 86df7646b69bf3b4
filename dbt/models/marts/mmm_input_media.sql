-- Model input, media: one row per geo, ISO week (Monday) and channel; spend in USD, media units
-- (impressions, or GRPs for TV) for channels modelled on exposure.
select
    geo,
    week_start,
    channel,
    spend,
    media_units,
    media_unit
from {{ ref('int_media_weekly') }}
