-- Curated history and the article's claims (data/events.yaml, data/claims.yaml), and the pair they describe.

create table core.events (
    event_id varchar primary key,
    event_date date not null,
    date_text varchar not null,
    date_precision varchar not null,
    title varchar not null,
    summary varchar not null,
    category varchar not null,
    actors varchar[] not null,
    is_key boolean not null,
    sources json not null,
    date_note varchar,
    alternative_dates varchar[]
);
comment on table core.events is 'one row per curated event of the relationship (data/events.yaml), sourced';
comment on column core.events.event_id is 'stable identifier (kebab-case)';
comment on column core.events.event_date is 'the date used, first day of the month or year when less precise';
comment on column core.events.date_text is 'the date as curated: YYYY-MM-DD, YYYY-MM or YYYY';
comment on column core.events.date_precision is 'day, month or year';
comment on column core.events.title is 'short title';
comment on column core.events.summary is 'one to three sentences in our own words';
comment on column core.events.category is 'diplomacy, trade, security, culture, science, migration, energy, politics, space, tourism';
comment on column core.events.actors is 'states, people and organisations involved';
comment on column core.events.is_key is 'a landmark event, marked on the trade chart';
comment on column core.events.sources is 'list of {title, publisher, url}';
comment on column core.events.date_note is 'where sources disagree on the date: which one is used and why';
comment on column core.events.alternative_dates is 'other dates the sources give';

create table core.claims (
    claim_id varchar primary key,
    claim_text varchar not null,
    section varchar not null,
    period varchar not null,
    claimed double not null,
    unit varchar not null,
    tolerance_kind varchar not null,
    tolerance double not null,
    named_source varchar not null,
    metric_kind varchar not null,
    metric_source varchar,
    metric_indicator varchar,
    metric_country varchar,
    metric_file varchar,
    needs varchar
);
comment on table core.claims is 'one row per quantitative claim of the seed article (data/claims.yaml), with how to observe it';
comment on column core.claims.claim_id is 'stable identifier (kebab-case)';
comment on column core.claims.claim_text is 'the claim, paraphrased';
comment on column core.claims.section is 'article section where it appears';
comment on column core.claims.period is 'the year (or years) the claim is about';
comment on column core.claims.claimed is 'the value claimed, in unit';
comment on column core.claims.unit is 'unit of claimed and of the observed value';
comment on column core.claims.tolerance_kind is 'relative (share of the claimed value) or absolute (in unit)';
comment on column core.claims.tolerance is 'how far the data may be from the claim and still support it';
comment on column core.claims.named_source is 'the source the article names for it';
comment on column core.claims.metric_kind is 'indicator (marts.indicators), rank (marts.rankings), sql (sql/claims), none (not checkable here)';
comment on column core.claims.metric_source is 'for indicator: worldbank or imf_datamapper';
comment on column core.claims.metric_indicator is 'for indicator and rank: the indicator code';
comment on column core.claims.metric_country is 'for indicator and rank: ISO alpha-3 code';
comment on column core.claims.metric_file is 'for sql: the query file under sql/claims';
comment on column core.claims.needs is 'for none: the data that would be needed to check it';

create table meta.pair (
    country_a varchar not null,
    country_b varchar not null,
    peers varchar[] not null
);
comment on table meta.pair is 'one row: the configured pair and its peers, as of the last load';
comment on column meta.pair.country_a is 'first country of the pair (ISO alpha-3)';
comment on column meta.pair.country_b is 'second country of the pair';
comment on column meta.pair.peers is 'context economies';

-- replaced at each load by the queries named in data/claims.yaml (one select per sql claim)
create view staging.claim_sql_observations as
select
    cast(null as varchar) as claim_id,
    cast(null as double) as observed,
    cast(null as varchar) as source,
    cast(null as varchar) as vintage
where false;
