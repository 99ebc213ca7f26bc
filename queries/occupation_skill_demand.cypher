// title: 职业技能需求 / Skill demand of occupations
// description: What each occupation demands, from two kinds of evidence: its REQUIRES_SKILL relations
//   (kind 'occupation': essential 1.0, optional 0.5, or a rating in [0, 1]) and the job postings FOR_OCCUPATION
//   it (kind 'posting': required 1.0, preferred 0.5 unless the source gives a weight). Postings that ask for no
//   skill still appear once (skill null) so that they count in the total; an occupation with no evidence at
//   all appears once with kind null. Every row carries the source and load run of its relationship.
// param occupations: list[string] = [] — CSCO/ESCO codes or IRIs; empty for every occupation
// returns: one row per occupation–skill or posting–skill relation
// the named occupations through the code and IRI indexes (one WHERE with `size($occupations) = 0 OR …` scans
// every occupation), or every occupation when none is named
CALL () {
  UNWIND CASE WHEN size($occupations) = 0 THEN [true] ELSE [] END AS every
  MATCH (o:Occupation)
  RETURN o
  UNION
  UNWIND $occupations AS wanted
  MATCH (o:Occupation) WHERE o.code = wanted OR o.iri = wanted
  RETURN o
}
OPTIONAL CALL (o) {
  MATCH (o)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN 'occupation' AS kind, null AS posting, null AS postingCode, null AS posting_zh, null AS posting_en,
         null AS datePosted, null AS enterprise_zh, null AS enterprise_en, s,
         coalesce(r.weight, 1.0) AS weight, r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
  UNION ALL
  MATCH (p:JobPosting)-[:FOR_OCCUPATION]->(o)
  OPTIONAL MATCH (p)-[:POSTED_BY]->(e:Actor)
  OPTIONAL MATCH (p)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN 'posting' AS kind, p.iri AS posting, p.code AS postingCode, p.label_zh AS posting_zh,
         p.label_en AS posting_en, p.datePosted AS datePosted, e.label_zh AS enterprise_zh,
         e.label_en AS enterprise_en, s,
         coalesce(r.weight, CASE r.relationType WHEN 'preferred' THEN 0.5 ELSE 1.0 END) AS weight,
         r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
}
RETURN o.iri AS occupation, o.code AS occupationCode, o.label_zh AS occupation_zh, o.label_en AS occupation_en,
       kind, s.iri AS skill, s.code AS skillCode, s.label_zh AS skill_zh, s.label_en AS skill_en, weight,
       relationType, source, loadRun, posting, postingCode, posting_zh, posting_en, datePosted,
       enterprise_zh, enterprise_en
ORDER BY occupation, kind, posting, skill
