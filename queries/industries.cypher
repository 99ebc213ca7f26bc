// title: 行业列表 / Industries with demand
// description: Industries that have occupations or job postings in the graph, with how many of each
//   (counting sub-industries): the codes `ieic-kg align --industry` accepts.
// returns: one row per industry
MATCH (i:Industry)
OPTIONAL MATCH (sub:Industry)-[:BROADER*0..4]->(i)
OPTIONAL MATCH (o:Occupation)-[:IN_INDUSTRY]->(sub)
OPTIONAL MATCH (p:JobPosting)-[:POSTED_BY]->(:Enterprise)-[:IN_INDUSTRY]->(sub)
WITH i, count(DISTINCT o) AS occupations, count(DISTINCT p) AS postings
WHERE occupations > 0 OR postings > 0
RETURN i.code AS code, i.label_zh AS industry_zh, i.label_en AS industry_en, i.level AS level,
       occupations, postings, i.iri AS iri
ORDER BY code
