-- What the publishers say about their releases, kept beside the values:
-- the update stamp each answer carried, what was wrong with it, and an unknown projection flag
-- for values whose publisher named no edition. Also each source's lag before its data count as stale.

alter table core.observations alter column is_forecast drop not null;
comment on column core.observations.is_forecast is 'true for IMF projections (years from the WEO edition''s year on); null when the publisher named no edition, so actual and projected cannot be told apart';
comment on column core.observations.source_updated is 'the newest vintage in which the publisher stated this value: World Bank lastupdated (YYYY-MM-DD), WEO edition (WEO YYYY-MM), IMTS dataflow update date; null when it named none';

alter table raw.fetches add column publisher_updated date;
alter table raw.fetches add column problem varchar;
comment on column raw.fetches.publisher_updated is 'the publisher''s own update stamp in this answer (World Bank lastupdated, DataMapper last-modified, IMTS lastUpdatedAt); null when it sent none or one that is not a date';
comment on column raw.fetches.problem is 'what was wrong in this answer without stopping its values from loading (a stamp that is not a date), quoting at most 40 characters';
comment on column raw.fetches.error is 'why this body''s values were not loaded (its own parse error, or its source failed in the run), or why its source was only partly loaded; null when loaded';

create table meta.sources (
    source varchar primary key,
    stale_after_years integer not null
);
comment on table meta.sources is 'one row per enabled source, as of the last load: how old its latest period may be before it counts as stale';
comment on column meta.sources.source is 'source module';
comment on column meta.sources.stale_after_years is 'the data are stale when their latest period is more than this many years before the as-of date (sources.<name>.stale_after_years)';
