-- The warehouse's tables: raw fetches, versioned observations, labels, run history.
-- Applied once, in order, by bilateral.warehouse.migrate; recorded in meta.migrations.

-- raw: what the APIs sent; core: versioned facts and curated history; meta: run history;
-- staging: views that rename and cast; marts: documented views for the briefing and analysts
create schema if not exists raw;
create schema if not exists core;
create schema if not exists meta;
create schema if not exists staging;
create schema if not exists marts;


create table raw.fetches (
    run_id varchar not null,
    source varchar not null,
    url varchar not null,
    status integer not null,
    sha256 varchar not null,
    bytes bigint not null,
    path varchar not null,
    fetched_at timestamptz not null,
    is_unchanged boolean not null,
    error varchar
);
comment on table raw.fetches is 'one row per HTTP fetch: where the bytes came from, when, their sha256 and where they are stored';
comment on column raw.fetches.run_id is 'the refresh run that made the fetch (meta.runs.run_id)';
comment on column raw.fetches.source is 'source module: worldbank, imf_datamapper, imf_trade, comtrade';
comment on column raw.fetches.url is 'the exact URL fetched, query included (keys travel in headers, never here)';
comment on column raw.fetches.status is 'HTTP status of the final answer';
comment on column raw.fetches.sha256 is 'sha256 of the body, hex';
comment on column raw.fetches.bytes is 'body size in bytes';
comment on column raw.fetches.path is 'where the body is stored, relative to BILATERAL_HOME';
comment on column raw.fetches.fetched_at is 'when the answer arrived (UTC)';
comment on column raw.fetches.is_unchanged is 'true when the body equals the last good fetch of the same URL, so it was not parsed again';
comment on column raw.fetches.error is 'why this body''s values were not loaded (its own parse error, or its source failed in the run); null when loaded';

create table core.observations (
    source varchar not null,
    dataset varchar not null,
    indicator varchar not null,
    ref_area varchar not null,
    counterpart_area varchar not null,
    period varchar not null,
    value double not null,
    unit varchar not null,
    obs_status varchar,
    is_forecast boolean not null,
    source_updated varchar,
    valid_from timestamptz not null,
    valid_to timestamptz,
    run_id varchar not null
);
comment on table core.observations is 'one row per value version (SCD2): a revision closes the old row (valid_to) and opens a new one';
comment on column core.observations.source is 'source module that delivered the value';
comment on column core.observations.dataset is 'the source''s dataset: WDI, WEO, IMTS, HS';
comment on column core.observations.indicator is 'the source''s indicator code, e.g. NY.GDP.MKTP.CD, NGDPD, XG_FOB_USD';
comment on column core.observations.ref_area is 'reporting economy, ISO 3166 alpha-3 (or the source''s aggregate code)';
comment on column core.observations.counterpart_area is 'partner economy for bilateral flows, ISO alpha-3; empty string when not bilateral';
comment on column core.observations.period is 'period as the source states it: YYYY for annual data';
comment on column core.observations.value is 'the value in unit; missing values are never stored (and never zero)';
comment on column core.observations.unit is 'unit of value, e.g. USD, billion USD, persons, %';
comment on column core.observations.obs_status is 'the source''s observation status or product code, when it gives one';
comment on column core.observations.is_forecast is 'true for IMF projections (years from the WEO edition''s year on)';
comment on column core.observations.source_updated is 'the source''s own vintage: World Bank lastupdated, WEO edition, fetch date otherwise';
comment on column core.observations.valid_from is 'when this version was first loaded';
comment on column core.observations.valid_to is 'when a revision replaced it; null for the current version';
comment on column core.observations.run_id is 'the run that loaded this version';

create table core.labels (
    source varchar not null,
    kind varchar not null,
    code varchar not null,
    name varchar not null,
    unit varchar,
    note varchar,
    primary key (source, kind, code)
);
comment on table core.labels is 'one row per source, kind (country or indicator) and code: its name as the source gives it';
comment on column core.labels.source is 'source module';
comment on column core.labels.kind is 'country or indicator';
comment on column core.labels.code is 'ISO alpha-3 country code or indicator code';
comment on column core.labels.name is 'name given by the source''s metadata';
comment on column core.labels.unit is 'unit stated by the source, when any';
comment on column core.labels.note is 'definition or organisation note from the source';

create table meta.runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    status varchar not null,
    fetches integer not null,
    unchanged_fetches integer not null,
    new_values integer not null,
    revised_values integer not null,
    unchanged_values integer not null
);
comment on table meta.runs is 'one row per refresh run: counts and status (ok, partial, failed)';
comment on column meta.runs.run_id is 'run identifier: UTC start time and a random suffix';
comment on column meta.runs.started_at is 'when the run started';
comment on column meta.runs.finished_at is 'when its load committed';
comment on column meta.runs.status is 'ok when every source loaded, partial when some failed, failed when none loaded';
comment on column meta.runs.fetches is 'HTTP answers received';
comment on column meta.runs.unchanged_fetches is 'answers identical to the last good fetch of the same URL (not parsed again)';
comment on column meta.runs.new_values is 'observations seen for the first time';
comment on column meta.runs.revised_values is 'observations whose value changed (old version closed, new one opened)';
comment on column meta.runs.unchanged_values is 'observations parsed again with the same value (nothing written)';

create table meta.run_sources (
    run_id varchar not null,
    source varchar not null,
    status varchar not null,
    requests integer not null,
    unchanged_fetches integer not null,
    new_values integer not null,
    revised_values integer not null,
    unchanged_values integer not null,
    error varchar,
    latest_source_updated varchar,
    primary key (run_id, source)
);
comment on table meta.run_sources is 'one row per run and source: what the source gave and why it failed';
comment on column meta.run_sources.run_id is 'the run (meta.runs.run_id)';
comment on column meta.run_sources.source is 'source module';
comment on column meta.run_sources.status is 'ok, failed, or skipped when switched off';
comment on column meta.run_sources.requests is 'HTTP answers received from this source';
comment on column meta.run_sources.unchanged_fetches is 'answers identical to the last good fetch';
comment on column meta.run_sources.new_values is 'observations new in this run';
comment on column meta.run_sources.revised_values is 'observations revised in this run';
comment on column meta.run_sources.unchanged_values is 'observations parsed again without change';
comment on column meta.run_sources.error is 'one line naming URL and cause when the source failed';
comment on column meta.run_sources.latest_source_updated is 'the newest vintage the source stated in this run';

create table meta.briefings (
    period varchar not null,
    as_of timestamptz not null,
    rendered_at timestamptz not null,
    path varchar not null,
    sha256 varchar not null,
    pages integer not null,
    figures json not null,
    primary key (period, as_of)
);
comment on table meta.briefings is 'one row per rendered briefing: period, as-of, file and the figures it printed';
comment on column meta.briefings.period is 'briefing period: YYYY-MM or YYYY-Qn';
comment on column meta.briefings.as_of is 'the data state the briefing used: value versions valid at this time';
comment on column meta.briefings.rendered_at is 'when the PDF was written';
comment on column meta.briefings.path is 'PDF path relative to BILATERAL_HOME';
comment on column meta.briefings.sha256 is 'sha256 of the PDF';
comment on column meta.briefings.pages is 'page count';
comment on column meta.briefings.figures is 'what the briefing printed: {figures: [{key, value, unit, source, period, vintage, text}], event_ids: [...]}';
