// title: 专业列表 / Programs
// description: The programs in the graph with the college that offers them, their code, the number of
//   courses and the occupations they prepare for: the codes `ieic-kg align --program` accepts.
// returns: one row per program
MATCH (p:Program)
OPTIONAL MATCH (college:VocationalCollege)-[:OFFERS_PROGRAM]->(p)
OPTIONAL MATCH (p)-[:HAS_COURSE]->(c:Course)
OPTIONAL MATCH (p)-[:FOR_OCCUPATION]->(o:Occupation)
RETURN p.code AS code, p.label_zh AS program_zh, p.label_en AS program_en, college.label_zh AS college_zh,
       count(DISTINCT c) AS courses, collect(DISTINCT o.code) AS occupations, p.iri AS iri
ORDER BY code, iri
