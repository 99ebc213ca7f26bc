// title: 共同体企业 / Member enterprises of a community
// description: The enterprises that are members of a community, with their role and what each brings: job
//   postings, internship positions and training bases it hosts, cooperation agreements it is party to and
//   projects it takes part in; most postings first.
// param community: string — community code (e.g. FSIEIC-2023) or IRI
// returns: one row per member enterprise
MATCH (com:Community) WHERE com.code = $community OR com.iri = $community
MATCH (e:Enterprise)-[m:MEMBER_OF]->(com)
RETURN e.iri AS enterprise, e.label_zh AS enterprise_zh, e.label_en AS enterprise_en, m.role AS role,
       COUNT { MATCH (post:JobPosting)-[:POSTED_BY]->(e) RETURN DISTINCT post } AS postings,
       COUNT { MATCH (e)-[:HOSTS]->(r:InternshipPosition) RETURN DISTINCT r } AS internships,
       COUNT { MATCH (e)-[:HOSTS]->(r:TrainingBase) RETURN DISTINCT r } AS trainingBases,
       COUNT { MATCH (e)-[:PARTY_TO]->(a:CooperationAgreement) RETURN DISTINCT a } AS agreements,
       COUNT { MATCH (e)-[:PARTICIPATES_IN]->(pr:Project) RETURN DISTINCT pr } AS projects
ORDER BY postings DESC, enterprise
