// title: 行业职业技能需求 / Skill demand of an industry's occupations
// description: Skills required by the occupations of an industry (and of its sub-industries), with the
//   demand weight of each occupation–skill relation (essential 1.0, optional 0.5, or a rating in [0, 1]).
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI of the industry
// returns: one row per occupation–skill relation
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
MATCH (o:Occupation)-[:IN_INDUSTRY]->(sub)
MATCH (o)-[r:REQUIRES_SKILL]->(s:Skill)
RETURN s.iri AS skill, s.code AS skillCode, s.label_zh AS skill_zh, s.label_en AS skill_en,
       o.iri AS occupation, o.code AS occupationCode, o.label_zh AS occupation_zh, o.label_en AS occupation_en,
       sub.code AS industryCode, sub.label_zh AS industry_zh, sub.label_en AS industry_en,
       coalesce(r.weight, 1.0) AS weight, r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
ORDER BY skill, occupation
