// title: 缺口技能的相关课程 / Courses related to gap skills
// description: For skills a program does not teach, the program's courses that come closest: courses whose
//   syllabus mentions the skill without teaching it (`mentioned`, with the sentence: often "not covered: …"),
//   and courses that teach a sibling skill, one with the same broader skill (`sibling`, with that skill and the
//   teaching strength). A course the scoring gives no supply for may still be where the gap is best closed.
// param program: string — program code (e.g. 460305) or IRI
// param skills: list[string] — IRIs of the gap skills (the `gaps` of an alignment)
// returns: one row per skill, course and relation; mentioned first, then by teaching strength
MATCH (p:Program) WHERE p.code = $program OR p.iri = $program
UNWIND $skills AS skillIri
MATCH (s:Skill {iri: skillIri})
CALL (p, s) {
  MATCH (p)-[:HAS_COURSE]->(c:Course)<-[:DESCRIBES]-(d:Document)-[m:MENTIONS]->(s)
  WHERE NOT (c)-[:TEACHES_SKILL]->(s)
  RETURN c, 'mentioned' AS relation, null AS via_zh, null AS via_en, null AS strength, m.evidence AS evidence
  UNION
  MATCH (s)-[:BROADER]->(:Skill)<-[:BROADER]-(sib:Skill)<-[t:TEACHES_SKILL]-(c:Course)<-[:HAS_COURSE]-(p)
  WHERE sib <> s
  RETURN c, 'sibling' AS relation, sib.label_zh AS via_zh, sib.label_en AS via_en,
         coalesce(t.strength, 1.0) AS strength, null AS evidence
}
RETURN s.iri AS skill, s.label_zh AS skill_zh, s.label_en AS skill_en, c.code AS course, c.label_zh AS course_zh,
       c.label_en AS course_en, c.iri AS courseIri, relation, via_zh, via_en, strength, evidence
ORDER BY skill, CASE relation WHEN 'mentioned' THEN 0 ELSE 1 END, strength DESC, course, via_zh
