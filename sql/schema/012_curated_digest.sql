-- What the curated tables were last loaded from: a refresh whose curated files, claim queries, schema and
-- checking code are all unchanged keeps the rows instead of reading and loading them again (~0.1 s a run).

create table meta.curated (
    sha256 varchar not null,
    loaded_at timestamptz not null
);
comment on table meta.curated is 'one row: the digest of what core.events and core.claims were last loaded from';
comment on column meta.curated.sha256 is 'sha256 over the pairs'' codes and curated files, sql/claims, sql/schema and the checking code';
comment on column meta.curated.loaded_at is 'when they were last loaded';
