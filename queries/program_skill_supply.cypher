// title: 专业技能供给 / What a program's courses teach
// description: Every skill the courses of a program teach, with the teaching strength, and every skill it
//   matches: itself or an exact match across taxonomies (hops 0), a broader skill the taught one is part of
//   (relation narrower: the course teaches a narrower skill), or a narrower skill within it (relation
//   broader), at most 2 broader/narrower hops away.
// param program: string — program code (e.g. 460305) or IRI
// returns: one row per course – taught skill – matched skill
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
MATCH (p)-[:HAS_COURSE]->(c:Course)-[t:TEACHES_SKILL]->(taught:Skill)
CALL (taught) {
  MATCH (taught)-[:EXACT_MATCH*0..1]-(s:Skill)
  RETURN s, 0 AS hops, 'same' AS relation
  UNION
  MATCH path = (taught)-[:BROADER*1..2]->(s:Skill)
  RETURN s, length(path) AS hops, 'narrower' AS relation
  UNION
  MATCH path = (s:Skill)-[:BROADER*1..2]->(taught)
  RETURN s, length(path) AS hops, 'broader' AS relation
}
RETURN c.iri AS course, c.code AS courseCode, c.label_zh AS course_zh, c.label_en AS course_en,
       taught.iri AS taught, taught.label_zh AS taught_zh, taught.label_en AS taught_en,
       coalesce(t.strength, 1.0) AS strength, t.masteryLevel AS level, t.source AS source, t.loadRun AS loadRun,
       s.iri AS skill, hops, relation
ORDER BY course, taught, skill
