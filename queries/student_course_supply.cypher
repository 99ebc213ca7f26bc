// title: 课程技能供给 / What given courses teach
// description: Every skill the given courses teach, with the teaching strength and its provenance, and every
//   skill it matches: itself or an exact match across taxonomies (hops 0), a broader skill (relation narrower:
//   the course teaches a narrower skill) or a narrower skill (relation broader), at most 2 hops away — the
//   same matching as program_skill_supply, for a student's completed or candidate courses.
// param courses: list[string] — course codes or IRIs
// returns: one row per course – taught skill – matched skill
MATCH (c:Course) WHERE c.code IN $courses OR c.iri IN $courses
MATCH (c)-[t:TEACHES_SKILL]->(taught:Skill)
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
ORDER BY courseCode, taught, skill
