// title: 缺口技能合作伙伴 / Who can help close skill gaps
// description: For the given skills, the training bases and internship positions that train them (with their
//   hosts) and the enterprises whose job postings ask for them.
// param skills: list[string] — IRIs of the gap skills
// returns: one row per skill – helper
UNWIND $skills AS skillIri
MATCH (s:Skill {iri: skillIri})
CALL (s) {
  MATCH (res:EducationalResource)-[:COVERS_SKILL]->(s)
  OPTIONAL MATCH (host:Actor)-[:HOSTS]->(res)
  RETURN CASE WHEN res:InternshipPosition THEN 'internship' ELSE 'training-base' END AS kind,
         res.iri AS helper, res.label_zh AS helper_zh, res.label_en AS helper_en,
         host.label_zh AS host_zh, host.label_en AS host_en, 1 AS evidence
  UNION
  MATCH (posting:JobPosting)-[:REQUIRES_SKILL]->(s)
  MATCH (posting)-[:POSTED_BY]->(e:Enterprise)
  RETURN 'employer' AS kind, e.iri AS helper, e.label_zh AS helper_zh, e.label_en AS helper_en,
         null AS host_zh, null AS host_en, count(posting) AS evidence
}
RETURN s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en, kind, helper, helper_zh, helper_en,
       host_zh, host_en, evidence
ORDER BY skill, kind, evidence DESC, helper
