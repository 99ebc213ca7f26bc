// title: 岗位与实习机会 / Job postings and internship positions with their skills
// description: Every job posting (skills it requires or prefers: weight 1.0 / 0.5 unless the source gives one)
//   and every internship position (skills it covers: weight 1.0 unless given), with the enterprise that posts or
//   hosts it, its occupation and date, and the source and load run of each skill relationship. An opportunity
//   without skills appears once with skill null.
// returns: one row per opportunity–skill relation
CALL () {
  MATCH (p:JobPosting)
  OPTIONAL MATCH (p)-[:POSTED_BY]->(e:Actor)
  OPTIONAL MATCH (p)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN 'posting' AS kind, p AS opp, e AS host, s, p.datePosted AS date,
         coalesce(r.weight, CASE r.relationType WHEN 'preferred' THEN 0.5 ELSE 1.0 END) AS weight,
         r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
  UNION ALL
  MATCH (p:InternshipPosition)
  OPTIONAL MATCH (e:Actor)-[:HOSTS]->(p)
  OPTIONAL MATCH (p)-[r:COVERS_SKILL]->(s:Skill)
  RETURN 'internship' AS kind, p AS opp, e AS host, s, p.validFrom AS date, coalesce(r.weight, 1.0) AS weight,
         r.relationType AS relationType, r.source AS source, r.loadRun AS loadRun
}
OPTIONAL MATCH (opp)-[:FOR_OCCUPATION]->(o:Occupation)
RETURN kind, opp.iri AS opportunity, opp.code AS code, opp.label_zh AS label_zh, opp.label_en AS label_en,
       date, host.label_zh AS host_zh, host.label_en AS host_en, o.code AS occupationCode,
       o.label_zh AS occupation_zh, o.label_en AS occupation_en,
       s.iri AS skill, s.code AS skillCode, s.label_zh AS skill_zh, s.label_en AS skill_en, weight, relationType,
       source, loadRun
ORDER BY kind, code, opportunity, skill
