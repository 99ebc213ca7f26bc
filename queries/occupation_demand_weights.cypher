// title: 职业技能需求权重 / Skill demand weights of occupations (for the coverage matrix)
// description: The weights-only form of occupation_skill_demand, one row per occupation: the taxonomy demand
//   as [skill IRI, weight] pairs (REQUIRES_SKILL: essential 1.0, optional 0.5, or a rating in [0, 1]), the
//   number of its job postings, and the posting demand as [skill IRI, summed weight] pairs (required 1.0,
//   preferred 0.5 unless the source gives a weight). It carries no labels and no provenance, so that the
//   coverage matrix of every program × every occupation reads ~4k rows instead of ~125k; the figures equal
//   those of occupation_skill_demand (a test checks it), which keeps the evidence.
//   Cypher only: it feeds the engine's matrix; its SPARQL reader is occupation_skill_demand's twin data.
// param occupations: list[string] = [] — CSCO/ESCO codes or IRIs; empty for every occupation
// returns: one row per occupation
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
CALL (o) {
  OPTIONAL MATCH (o)-[r:REQUIRES_SKILL]->(s:Skill)
  RETURN collect(CASE WHEN s IS NOT NULL THEN [s.iri, coalesce(r.weight, 1.0)] END) AS taxonomy
}
CALL (o) {
  OPTIONAL MATCH (p:JobPosting)-[:FOR_OCCUPATION]->(o)
  WITH collect(DISTINCT p) AS ps
  UNWIND ps + [null] AS p
  OPTIONAL MATCH (p)-[r:REQUIRES_SKILL]->(s:Skill)
  WITH size(ps) AS postings, s,
       sum(coalesce(r.weight, CASE r.relationType WHEN 'preferred' THEN 0.5 ELSE 1.0 END)) AS weight
  RETURN max(postings) AS postings, collect(CASE WHEN s IS NOT NULL THEN [s.iri, weight] END) AS posted
}
RETURN o.iri AS occupation, o.code AS occupationCode, o.label_zh AS occupation_zh, o.label_en AS occupation_en,
       taxonomy, postings, posted
ORDER BY occupation
