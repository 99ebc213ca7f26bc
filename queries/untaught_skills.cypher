// title: 未覆盖的需求技能 / Demanded skills no course teaches
// description: Skills the industry (or its sub-industries) demands — required by its occupations or by the
//   job postings of its enterprises — that no course of the program teaches (neither the skill nor an exact
//   match of it), ranked by demand weight: the highest weight of any demanding relation (occupation: the
//   weight, 1.0 by default; posting: the weight, else 1.0 required and 0.5 preferred), then by how many
//   postings and occupations ask for the skill.
// param program: string — program code (e.g. 460305) or IRI
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI
// returns: one row per untaught skill
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
WITH collect(DISTINCT sub) AS subs
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
CALL (subs) {
  UNWIND subs AS sub
  MATCH (o:Occupation)-[:IN_INDUSTRY]->(sub)
  MATCH (o)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN s, o AS occupation, null AS posting, coalesce(r.weight, 1.0) AS w
  UNION ALL
  UNWIND subs AS sub
  MATCH (e:Enterprise)-[:IN_INDUSTRY]->(sub)
  MATCH (post:JobPosting)-[:POSTED_BY]->(e)
  MATCH (post)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN s, null AS occupation, post AS posting,
         coalesce(r.weight, CASE r.relationType WHEN 'preferred' THEN 0.5 ELSE 1.0 END) AS w
}
WITH p, s, max(w) AS weight, count(DISTINCT occupation) AS occupations, count(DISTINCT posting) AS postings
WHERE NOT EXISTS { MATCH (p)-[:HAS_COURSE]->(:Course)-[:TEACHES_SKILL]->(:Skill)-[:EXACT_MATCH*0..1]-(s) }
RETURN s.iri AS skill, s.code AS skillCode, s.label_zh AS skill_zh, s.label_en AS skill_en, weight, occupations,
       postings
ORDER BY weight DESC, postings DESC, occupations DESC, skill
