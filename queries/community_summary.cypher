// title: 共同体概况 / Community summary
// description: What an industry–education integration community brings together: its members by type, the
//   cooperation agreements they are party to, the educational resources they host (training bases,
//   internship positions…) and the projects they take part in, by type, and the funds (count and total
//   amount) that fund the community or a resource, project or program of its members. Community per
//   member enterprise: query community_enterprises.
// param community: string — community code (e.g. FSIEIC-2023) or IRI
// returns: one row per measure (member, agreement, resource, project, fund) and type, with a count
MATCH (com:Community) WHERE com.code = $community OR com.iri = $community
CALL (com) {
  CALL (com) {
    MATCH (x:Actor)-[:MEMBER_OF]->(com)
    RETURN 'member' AS measure, x
    UNION
    MATCH (a:Actor)-[:MEMBER_OF]->(com)
    MATCH (a)-[:PARTY_TO]->(x:CooperationAgreement)
    RETURN 'agreement' AS measure, x
    UNION
    MATCH (a:Actor)-[:MEMBER_OF]->(com)
    MATCH (a)-[:HOSTS]->(x:EducationalResource)
    RETURN 'resource' AS measure, x
    UNION
    MATCH (a:Actor)-[:MEMBER_OF]->(com)
    MATCH (a)-[:PARTICIPATES_IN]->(x:Project)
    RETURN 'project' AS measure, x
  }
  WITH measure, x,
       coalesce(head([l IN labels(x) WHERE NOT l IN ['Entity', 'Actor', 'EducationalResource', 'Project']]),
                head([l IN labels(x) WHERE l <> 'Entity'])) AS kind
  RETURN measure, kind, count(DISTINCT x) AS count, null AS amount
  UNION
  MATCH (f:Fund)-[:FUNDS]->(target)
  WHERE target = com
     OR EXISTS { MATCH (a:Actor)-[:MEMBER_OF]->(com) WHERE (a)-[:HOSTS|PARTICIPATES_IN|OFFERS_PROGRAM]->(target) }
  WITH DISTINCT f
  WITH count(f) AS count, sum(f.amount) AS amount
  WHERE count > 0
  RETURN 'fund' AS measure, 'Fund' AS kind, count, amount
}
RETURN measure, kind, count, amount
ORDER BY measure, kind
