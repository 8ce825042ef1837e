-- The curated texts in the briefing's other languages, kept beside the English they translate.

alter table core.events add column translations json;
comment on column core.events.translations is 'the title, summary and date note in other languages: {"es": {"title": ..., "summary": ..., "date_note": ...}, "ru": {...}}';
alter table core.claims add column translations json;
comment on column core.claims.translations is 'the claim text, section and what checking it needs in other languages: {"es": {"text": ..., "section": ..., "needs": ...}, "ru": {...}}';
