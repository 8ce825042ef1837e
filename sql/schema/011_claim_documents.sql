-- The document a pair's claims come from, named by the claims file (`document:`) and carried by each claim,
-- so the briefing can say which article it checks.

alter table core.claims add column document_title varchar;
alter table core.claims add column document_author varchar;
alter table core.claims add column document_publisher varchar;
alter table core.claims add column document_published date;
alter table core.claims add column document_url varchar;
comment on table core.claims is 'one row per quantitative claim of a pair''s curated claims file, with how to observe it and the document it comes from';
comment on column core.claims.document_title is 'title of the document the claim comes from (null: the claims file names none)';
comment on column core.claims.document_author is 'its author, when named';
comment on column core.claims.document_publisher is 'who published it, when named';
comment on column core.claims.document_published is 'the day it was published, when known';
comment on column core.claims.document_url is 'its https address, when known';
