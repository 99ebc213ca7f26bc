// title: 课程—行业对接路径 / Course-to-industry alignment paths
// description: Paths Course → Skill (→ broader/narrower Skill) ← Occupation → Industry from the courses of a
//   program to an industry, each with its edge weights and its score: teaching strength × skill match
//   (0.5 per broader/narrower hop; exact matches across taxonomies cost nothing) × demand weight.
// param program: string — program code (e.g. 460305) or IRI
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI
// param limit: integer = 50 — at most this many paths, best first
// returns: one row per path
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
WITH collect(sub) AS subs
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
MATCH (o:Occupation)-[d:REQUIRES_SKILL]->(s)
MATCH (o)-[:IN_INDUSTRY]->(sub) WHERE sub IN subs
WITH c, t, taught, s, hops, relation, o, d, sub,
     coalesce(t.strength, 1.0) * (0.5 ^ hops) * coalesce(d.weight, 1.0) AS score
RETURN c.code AS courseCode, c.label_zh AS course_zh, c.label_en AS course_en,
       coalesce(t.strength, 1.0) AS strength, t.masteryLevel AS level,
       taught.label_zh AS taught_zh, taught.label_en AS taught_en, hops, relation,
       s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en,
       coalesce(d.weight, 1.0) AS weight, o.code AS occupationCode, o.label_zh AS occupation_zh,
       o.label_en AS occupation_en, sub.code AS industryCode, sub.label_zh AS industry_zh, score
ORDER BY score DESC, courseCode, skill, occupationCode, industryCode, taught_zh, hops, relation
LIMIT $limit
