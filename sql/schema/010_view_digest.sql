-- The views' SQL as last applied: opening the writer re-creates them only when it changed (or after a
-- migration), which saves about 50 ms on every write, a refresh's or a briefing's record.

create table meta.views (
    sha256 varchar not null,
    applied_at timestamptz not null
);
comment on table meta.views is 'one row: sha256 of the staging and mart views'' SQL (sql/staging, sql/marts) as last applied';
comment on column meta.views.sha256 is 'sha256 over the view files'' names and texts, in the order they are applied';
comment on column meta.views.applied_at is 'when they were last (re)created';
