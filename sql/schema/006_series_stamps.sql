-- What each series' change probe said when it was last fetched in full, so a refresh can skip
-- the series whose publisher says nothing changed (a full fetch still happens every few days).

create table meta.series (
    source varchar not null,
    series varchar not null,
    stamp varchar not null,
    fetched_at timestamptz not null,
    primary key (source, series)
);
comment on table meta.series is 'one row per source and data series: the change stamp of its last full fetch (World Bank lastupdated and total, WEO edition and last-modified, IMTS lastUpdatedAt)';
comment on column meta.series.source is 'source module';
comment on column meta.series.series is 'the series: its request URL and parameters, pages aside';
comment on column meta.series.stamp is 'what the change probe said at the last full fetch';
comment on column meta.series.fetched_at is 'when the series was last fetched in full';
