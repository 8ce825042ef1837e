-- How fresh each source is, and why the last failure happened.
select * from marts.source_status
order by source
