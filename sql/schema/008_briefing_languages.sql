-- A briefing has an edition per language: one record per file and as-of moment, where there was one
-- per period and as-of (the Spanish render of a period replaced the English one's record).

create table meta.briefings_by_file (
    period varchar not null,
    as_of timestamptz not null,
    rendered_at timestamptz not null,
    path varchar not null,
    sha256 varchar not null,
    pages integer not null,
    figures json not null,
    vintage varchar,
    primary key (path, as_of)
);
insert into meta.briefings_by_file
select period, as_of, rendered_at, path, sha256, pages, figures, vintage from meta.briefings;
drop table meta.briefings;
alter table meta.briefings_by_file rename to briefings;

comment on table meta.briefings is 'one row per rendered briefing file and as-of moment: period, file, and the figures it printed';
comment on column meta.briefings.period is 'briefing period: YYYY-MM or YYYY-Qn';
comment on column meta.briefings.as_of is 'the data state the briefing used: value versions valid at this time';
comment on column meta.briefings.rendered_at is 'when the PDF was written';
comment on column meta.briefings.path is 'PDF path relative to BILATERAL_HOME: <period>_<pair>[.<language>].pdf, or <period>_asof-<day>_<pair>[.<language>].pdf for a rebuild as the data stood on that day';
comment on column meta.briefings.sha256 is 'sha256 of the PDF';
comment on column meta.briefings.pages is 'page count';
comment on column meta.briefings.figures is 'what the briefing printed: {figures: [{key, value, unit, source, period, vintage, text, source_id}], event_ids: [...]}';
comment on column meta.briefings.vintage is 'the data vintage the briefing printed: the WEO edition and each source''s publisher stamp';
