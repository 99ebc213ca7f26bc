// title: 技能需求趋势 / Skill demand over time
// description: How many dated job postings of the enterprises of an industry (or its sub-industries) ask for
//   each skill, per time window: a year (`2025`), a quarter (`2025-Q1`), a month or a number of months
//   (`2025-01`: windows of that many months from January, never across a year). Undated postings are left out.
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI
// param window: string = "year" — year, quarter, month, or a number of months from 1 to 12
// returns: one row per skill and window (`period`) with at least one posting
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
WITH collect(DISTINCT sub) AS subs
UNWIND subs AS sub
MATCH (e:Enterprise)-[:IN_INDUSTRY]->(sub)
MATCH (post:JobPosting)-[:POSTED_BY]->(e)
WHERE post.datePosted IS NOT NULL
MATCH (post)-[:REQUIRES_SKILL]->(s:Skill)
WITH s, post,
     CASE $window WHEN 'year' THEN 12 WHEN 'quarter' THEN 3 WHEN 'month' THEN 1 ELSE toInteger($window) END AS months
WITH s, post, post.datePosted.year AS y, ((post.datePosted.month - 1) / months) * months + 1 AS m
WITH s, post,
     CASE $window
       WHEN 'year' THEN toString(y)
       WHEN 'quarter' THEN toString(y) + '-Q' + toString((m - 1) / 3 + 1)
       ELSE toString(y) + '-' + CASE WHEN m < 10 THEN '0' ELSE '' END + toString(m)
     END AS period
RETURN s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en, period, count(DISTINCT post) AS postings
ORDER BY skill, period
