// title: 合作企业推荐 / Partner enterprises for a program
// description: The enterprises of an industry (or its sub-industries), ranked by the overlap between the
//   skills their job postings ask for and the skills the program teaches (a skill or an exact match of one),
//   with the training bases and internship positions they host that cover the program's gap skills (skills
//   the industry's occupations or postings demand and the program does not teach).
// param program: string — program code (e.g. 460305) or IRI
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI
// returns: one row per enterprise: postings, demanded skills, overlap, gap-covering resources and gap skills
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
WITH collect(DISTINCT sub) AS subs
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
WITH p, subs,
     COLLECT { MATCH (p)-[:HAS_COURSE]->(:Course)-[:TEACHES_SKILL]->(:Skill)-[:EXACT_MATCH*0..1]-(x:Skill) RETURN DISTINCT x }
       AS taught,
     COLLECT {
       UNWIND subs AS sub
       MATCH (o:Occupation)-[:IN_INDUSTRY]->(sub)
       MATCH (o)-[:REQUIRES_SKILL]->(s:Skill)
       RETURN s
       UNION
       UNWIND subs AS sub
       MATCH (e:Enterprise)-[:IN_INDUSTRY]->(sub)
       MATCH (post:JobPosting)-[:POSTED_BY]->(e)
       MATCH (post)-[:REQUIRES_SKILL]->(s:Skill)
       RETURN s
     } AS demanded
WITH p, subs, taught, [s IN demanded WHERE NOT s IN taught] AS gap
UNWIND subs AS sub
MATCH (e:Enterprise)-[:IN_INDUSTRY]->(sub)
WITH DISTINCT p, e, taught, gap
CALL (e, taught) {
  OPTIONAL MATCH (post:JobPosting)-[:POSTED_BY]->(e)
  OPTIONAL MATCH (post)-[:REQUIRES_SKILL]->(s:Skill)
  RETURN count(DISTINCT post) AS postings, count(DISTINCT s) AS demanded,
         count(DISTINCT CASE WHEN s IN taught THEN s END) AS overlap
}
CALL (e, gap) {
  OPTIONAL MATCH (e)-[:HOSTS]->(res:EducationalResource)-[:COVERS_SKILL]->(g:Skill) WHERE g IN gap
  RETURN count(DISTINCT res) AS resources, count(DISTINCT g) AS gapSkills
}
RETURN e.iri AS enterprise, e.label_zh AS enterprise_zh, e.label_en AS enterprise_en, postings, demanded, overlap,
       resources, gapSkills
ORDER BY overlap DESC, gapSkills DESC, postings DESC, enterprise
