// title: 自述技能匹配 / Skills that declared skills match
// description: For skills a student declares (codes or IRIs), every skill each one matches, as a course's
//   taught skill does: itself or an exact match (hops 0), a broader skill (relation narrower) or a narrower
//   skill (relation broader), at most 2 broader/narrower hops away.
// param skills: list[string] — skill codes or IRIs
// returns: one row per declared skill – matched skill
MATCH (taught:Skill) WHERE taught.code IN $skills OR taught.iri IN $skills
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
RETURN taught.iri AS taught, taught.code AS taughtCode, taught.label_zh AS taught_zh, taught.label_en AS taught_en,
       s.iri AS skill, hops, relation
ORDER BY taughtCode, taught, skill
