-- Many pairs in one warehouse: each configured pair is a row of meta.pair, named by its code (RUS-MEX);
-- curated events and claims, and rendered briefings, belong to one pair each. Rows written before there
-- were several pairs belong to the one pair configured then.

alter table meta.pair add column pair varchar;
alter table meta.pair add column position integer;
update meta.pair set pair = country_a || '-' || country_b, position = 1;
comment on table meta.pair is 'one row per configured pair, as of the last load; the first is what a session looks at unless it sets the variable pair';
comment on column meta.pair.pair is 'the pair''s code: its two countries, e.g. RUS-MEX';
comment on column meta.pair.position is 'its place in the configuration, from 1';

alter table core.events add column pair varchar;
update core.events set pair = (select pair from meta.pair where position = 1);
comment on column core.events.pair is 'the pair whose curated file holds the event (meta.pair)';

alter table core.claims add column pair varchar;
update core.claims set pair = (select pair from meta.pair where position = 1);
comment on column core.claims.pair is 'the pair whose curated file holds the claim (meta.pair)';

alter table meta.briefings add column pair varchar;
update meta.briefings set pair = (select pair from meta.pair where position = 1);
comment on column meta.briefings.pair is 'the pair the briefing is about (meta.pair)';
