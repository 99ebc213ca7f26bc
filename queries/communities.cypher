// title: 共同体列表 / Communities
// description: The industry–education integration communities in the graph, with how many members each has
//   and how many of them are enterprises: the codes community_summary and community_enterprises accept.
// returns: one row per community
MATCH (com:Community)
OPTIONAL MATCH (m:Actor)-[:MEMBER_OF]->(com)
RETURN com.code AS code, com.label_zh AS community_zh, com.label_en AS community_en,
       count(DISTINCT m) AS members, count(DISTINCT CASE WHEN m:Enterprise THEN m END) AS enterprises,
       com.iri AS iri
ORDER BY code, iri
