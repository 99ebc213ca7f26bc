// title: 孤立课程 / Courses no industry demand reaches
// description: Courses of a program that teach no skill the industry (or its sub-industries) demands: no
//   skill they teach, nor an exact match of one, is required by the industry's occupations or by the job
//   postings of its enterprises. An unknown industry demands nothing, so every course is listed.
// param program: string — program code (e.g. 460305) or IRI
// param industry: string — GB/T 4754 code (e.g. 3491) or IRI
// returns: one row per course, with how many skills it teaches
MATCH (i:Industry) WHERE i.code = $industry OR i.iri = $industry
MATCH (sub:Industry)-[:BROADER*0..4]->(i)
WITH collect(DISTINCT sub) AS subs
WITH COLLECT {
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
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
MATCH (p)-[:HAS_COURSE]->(c:Course)
WHERE NOT EXISTS { MATCH (c)-[:TEACHES_SKILL]->(:Skill)-[:EXACT_MATCH*0..1]-(x:Skill) WHERE x IN demanded }
OPTIONAL MATCH (c)-[:TEACHES_SKILL]->(t:Skill)
RETURN c.iri AS course, c.code AS courseCode, c.label_zh AS course_zh, c.label_en AS course_en,
       count(DISTINCT t) AS skills
ORDER BY courseCode, course
