// title: 招聘技能需求 / Skill demand in an industry's job postings
// description: Skills that dated job postings of enterprises in an industry (or its sub-industries)
//   require or prefer. The weight is 1.0 for required and 0.5 for preferred skills unless the source gives one.
//   Postings that require no skill still appear once (skill null) so that they count in the total.
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI of the industry
// returns: one row per posting–skill relation
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
MATCH (e:Enterprise)-[:IN_INDUSTRY]->(sub)
MATCH (p:JobPosting)-[:POSTED_BY]->(e)
OPTIONAL MATCH (p)-[r:REQUIRES_SKILL]->(s:Skill)
RETURN p.iri AS posting, p.code AS postingCode, p.label_zh AS posting_zh, p.label_en AS posting_en,
       p.datePosted AS datePosted, e.iri AS enterprise, e.label_zh AS enterprise_zh, e.label_en AS enterprise_en,
       s.iri AS skill, s.code AS skillCode, s.label_zh AS skill_zh, s.label_en AS skill_en,
       coalesce(r.weight, CASE r.relationType WHEN 'preferred' THEN 0.5 ELSE 1.0 END) AS weight,
       r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
ORDER BY posting, skill
