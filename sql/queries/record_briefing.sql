-- one briefing file rendered; a re-render of the same file and as-of replaces its record
insert or replace into meta.briefings by name
select
    $period as period,
    coalesce($pair, (select pair from meta.pair order by position limit 1)) as pair,  -- journals older than pairs name none
    cast($as_of as timestamptz) as as_of,
    cast($rendered_at as timestamptz) as rendered_at,
    $path as path,
    $sha256 as sha256,
    $pages as pages,
    $figures as figures,
    $vintage as vintage
