// title: 学习路径候选课程 / Courses a student of a program can take
// description: The courses of a program and, transitively, their prerequisites (which may belong to another
//   program), each with its semester, whether the program has it (required or elective) and the codes of its
//   direct prerequisites: the candidates of a learning path.
// param program: string — program code (e.g. 460305) or IRI
// returns: one row per course
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
MATCH (p)-[:HAS_COURSE]->(:Course)-[:HAS_PREREQUISITE*0..8]->(c:Course)
WITH DISTINCT p, c
OPTIONAL MATCH (p)-[h:HAS_COURSE]->(c)
OPTIONAL MATCH (c)-[:HAS_PREREQUISITE]->(pre:Course)
WITH p, c, h, collect(DISTINCT pre.code) AS prerequisites
RETURN c.iri AS course, c.code AS courseCode, c.label_zh AS course_zh, c.label_en AS course_en,
       c.semester AS semester, c.credits AS credits, h IS NOT NULL AS inProgram, h.relationType AS relationType,
       prerequisites
ORDER BY semester, courseCode
