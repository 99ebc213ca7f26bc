// title: 标准覆盖度 / Standard coverage
// description: For each skill a standard or certificate specifies, at the level it specifies it, whether the
//   courses of a program teach it (the skill or an exact match of it): how many courses do, and the highest
//   teaching strength (0.0 when none does).
// param program: string — program code (e.g. 460305) or IRI
// param standard: string — standard or certificate code (e.g. 1X-IROM) or IRI
// returns: one row per level and skill of the standard
MATCH (st:Standard) WHERE st.code = $standard OR st.iri = $standard
MATCH (st)-[sp:SPECIFIES_SKILL]->(s:Skill)
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
OPTIONAL MATCH (p)-[:HAS_COURSE]->(c:Course)-[t:TEACHES_SKILL]->(:Skill)-[:EXACT_MATCH*0..1]-(s)
WITH st, sp, s, p, count(DISTINCT c) AS courses,
     max(CASE WHEN c IS NULL THEN 0.0 ELSE coalesce(t.strength, 1.0) END) AS strength
RETURN st.code AS standardCode, sp.level AS level, sp.levelName_zh AS levelName_zh,
       sp.levelName_en AS levelName_en, s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en,
       courses > 0 AS covered, courses, strength
ORDER BY standardCode, level, skill
