-- one briefing rendered; a re-render of the same period and as-of replaces its record
insert or replace into meta.briefings
values ($period, $as_of, $rendered_at, $path, $sha256, $pages, $figures)
