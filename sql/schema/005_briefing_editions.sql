-- Each briefing edition records the data vintage it printed, for the archive index.

alter table meta.briefings add column vintage varchar;
comment on column meta.briefings.vintage is 'the data vintage the briefing printed: the WEO edition and each source''s publisher stamp';
comment on column meta.briefings.path is 'PDF path relative to BILATERAL_HOME: <period>_<pair>.pdf, or <period>_asof-<day>_<pair>.pdf for a rebuild as the data stood on that day';
