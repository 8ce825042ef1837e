-- Claims decided from the curated timeline (durations and anniversaries), and claims that state a bound.

alter table core.claims add column bound varchar;
alter table core.claims add column metric_from_event varchar;
alter table core.claims add column metric_to_event varchar;
alter table core.claims add column metric_to_date varchar;
comment on column core.claims.bound is 'lower for "more than", upper for "less than": the claimed value is a bound, not a point; null otherwise';
comment on column core.claims.metric_from_event is 'for duration: the event (core.events) the span starts at';
comment on column core.claims.metric_to_event is 'for duration: the event it ends at';
comment on column core.claims.metric_to_date is 'for duration: the day it ends at (YYYY-MM-DD), or the year an anniversary is counted to (YYYY)';
comment on column core.claims.metric_kind is 'indicator (marts.indicators), rank (marts.rankings), partner (marts.partner_trade), products (marts.trade_products), sql (sql/claims), duration (between two curated events, or from one to a date), none (not checkable here)';

-- claims on each side's partners (IMF IMTS, every counterpart) and on what it trades (UN Comtrade, HS chapters)
alter table core.claims add column metric_partner varchar;
alter table core.claims add column metric_flow varchar;
alter table core.claims add column metric_chapters varchar[];
alter table core.claims add column metric_top integer;
comment on column core.claims.metric_partner is 'for partner and products: the partner economy (ISO alpha-3); metric_country is then the reporter';
comment on column core.claims.metric_flow is 'for products: X (the reporter''s exports to the partner) or M (its imports from it)';
comment on column core.claims.metric_chapters is 'for products: the HS chapters the claim names, two digits each';
comment on column core.claims.metric_top is 'for products: how many of the largest chapters count as what a country mainly trades';

-- a claim whose wording allows several readings is checked under each (sql/claims, one file per reading)
alter table core.claims add column metric_readings varchar;
comment on column core.claims.metric_readings is 'for sql: JSON list of {reading, file}, in order; the first is the plain reading';
comment on column core.claims.metric_file is 'for sql: the query file of the first reading under sql/claims';

-- replaced at each load by the readings of the sql claims (bilateral.curated.claim_queries_view)
create or replace view staging.claim_sql_observations as
select
    cast(null as varchar) as claim_id,
    cast(null as varchar) as reading,
    cast(null as integer) as position,
    cast(null as double) as observed,
    cast(null as varchar) as source,
    cast(null as varchar) as vintage,
    cast(null as varchar) as reason
where false;
