// Every text of the page in Chinese and English. Data labels come from the API in both languages
// (label_zh / label_en, or {zh, en}); `pick` shows the chosen one and falls back to the other.

export type Lang = "zh" | "en";

const TEXTS = {
  title: ["产教融合知识图谱浏览器", "IEIC-KG Explorer"],
  subtitle: ["面向专业建设者：专业与产业需求的对接、缺口与合作方", "For curriculum designers: how programs meet industry demand, the gaps, and who can help"],
  skip: ["跳到主要内容", "Skip to content"],
  langToggle: ["English", "中文"],
  langToggleLabel: ["Switch to English", "切换到中文"],
  signIn: ["API 密钥登录", "Sign in with API key"],
  signedInAs: ["已登录：", "Signed in: "],
  signOut: ["退出", "Sign out"],
  keyLabel: ["API 密钥", "API key"],
  keyHelp: ["密钥只保存在本标签页（sessionStorage），随每个请求以 Authorization 头发送。", "The key stays in this tab (sessionStorage) and is sent with each request in the Authorization header."],
  keyRejected: ["密钥无效", "The key was refused"],
  save: ["保存", "Save"],
  cancel: ["取消", "Cancel"],
  close: ["关闭", "Close"],
  loading: ["加载中……", "Loading…"],
  error: ["出错了", "Something went wrong"],
  hint: ["提示：", "Hint: "],
  none: ["无", "none"],
  // tabs
  tabProgram: ["专业对接", "Program view"],
  tabPaths: ["路径探索", "Path explorer"],
  tabTrends: ["需求趋势", "Demand trends"],
  tabQueries: ["查询控制台", "Query console"],
  tabCommunity: ["共同体概况", "Community overview"],
  // program view
  program: ["专业", "Program"],
  target: ["目标", "Target"],
  targetIndustry: ["行业", "Industry"],
  targetOccupation: ["职业", "Occupation"],
  industry: ["行业", "Industry"],
  occupation: ["职业", "Occupation"],
  analyse: ["分析", "Analyse"],
  choose: ["请选择", "Choose…"],
  coverage: ["覆盖度", "Coverage"],
  coverageHelp: ["Σ 需求权重 × 供给 ÷ Σ 需求权重（见 docs/scoring.md）", "Σ demand weight × supply ÷ Σ demand weight (docs/scoring.md)"],
  demanded: ["需求技能", "Demanded skills"],
  covered: ["已覆盖", "Covered"],
  gapsCount: ["缺口", "Gaps"],
  postingsTotal: ["招聘岗位", "Job postings"],
  heatmap: ["课程 × 需求技能热力图", "Heatmap: courses × demanded skills"],
  heatmapHelp: ["每格：课程对该技能的教学强度（t·m）；颜色 = 教学强度 × 需求权重。缺口行标红。", "Each cell: the course's teaching strength for the skill (t·m); colour = teaching strength × demand weight. Gap rows in red."],
  skill: ["技能", "Skill"],
  demandWeight: ["需求权重", "Demand w"],
  supply: ["供给", "Supply"],
  trend: ["趋势", "Trend"],
  trendHelp: ["近 365 天要求该技能的岗位数减去之前 365 天", "postings asking for it in the newest 365 days minus the 365 days before"],
  gap: ["缺口", "gap"],
  gapList: ["技能缺口（按需求与趋势排序）", "Skill gaps (by demand, then trend)"],
  gapListHelp: ["没有任何课程教授（供给为 0）的需求技能。", "Demanded skills no course teaches (supply 0)."],
  weakList: ["覆盖薄弱的技能", "Weakly covered skills"],
  weakListHelp: ["供给低于 50% 的需求技能，以及部分覆盖它们的课程。", "Demanded skills with supply below 50%, with the courses that partly cover them."],
  noGaps: ["没有缺口：每项需求技能都有课程教授。", "No gaps: every demanded skill is taught by some course."],
  demandFrom: ["需求", "Demand"],
  occupationsN: ["职业", "occupations"],
  postingsN: ["岗位", "postings"],
  partlyCovered: ["部分覆盖的课程", "Courses that partly cover it"],
  noCourse: ["没有课程涉及该技能、其上下位技能或同类技能。", "No course teaches it, a broader, narrower or sibling skill, or mentions it."],
  syllabusMentions: ["课程标准提及但未教授", "syllabus mentions it without teaching it"],
  teachesSibling: ["教授同类技能", "teaches the sibling skill"],
  whoCanHelp: ["谁能帮助弥补", "Who can help close it"],
  noHelper: ["暂无合作方可提供", "No partner offers it yet"],
  kind_training_base: ["实训基地", "Training base"],
  kind_internship: ["实习岗位", "Internship"],
  kind_employer: ["招聘企业", "Employer"],
  postingsAsk: ["个岗位要求该技能", "postings ask for it"],
  hostedBy: ["依托", "at"],
  showPaths: ["查看路径", "Show paths"],
  partnerEnterprises: ["合作企业推荐", "Partner enterprises"],
  partnerHelp: ["行业内企业按其岗位需求与本专业所授技能的重合度排序，并列出其可弥补缺口的资源。", "Enterprises of the industry ranked by how far their postings' skills overlap what the program teaches, with the resources they host that cover gaps."],
  enterprise: ["企业", "Enterprise"],
  overlap: ["重合技能", "Overlap"],
  gapResources: ["可弥补缺口的资源", "Gap-covering resources"],
  // paths
  focus: ["显示", "Show"],
  bestPaths: ["最佳路径", "Best paths"],
  allOfSkill: ["该技能的全部路径：", "All paths of: "],
  showPostings: ["包含招聘岗位", "Include job postings"],
  graphHelp: ["点击连线（或在下方列表中选择）查看证据：文档摘录、来源、加载批次、置信度。", "Click an edge (or pick it in the list below) to see its evidence: document excerpt, source, load run, confidence."],
  edgeList: ["连线列表", "Edges"],
  evidence: ["证据", "Evidence"],
  pickEdge: ["请选择一条连线。", "Pick an edge."],
  excerpt: ["文档摘录", "Document excerpt"],
  noExcerpt: ["该关系来自结构化数据，没有文档摘录。", "This relationship comes from structured data: there is no document excerpt."],
  document: ["文档", "Document"],
  sources: ["来源数据集", "Sources"],
  loadRun: ["加载批次", "Load run"],
  confidence: ["置信度", "Confidence"],
  method: ["方法", "Method"],
  qualifiers: ["限定属性", "Qualifiers"],
  status: ["状态", "Status"],
  startedAt: ["开始于", "Started"],
  loader: ["加载器", "Loader"],
  checksums: ["源文件校验和", "Source checksums"],
  derived: ["由路径推出：教学技能与需求技能之间的上下位关系", "Derived from the path: broader/narrower between the taught and the demanded skill"],
  kindCourse: ["课程", "Course"],
  kindSkill: ["技能", "Skill"],
  kindOccupation: ["职业", "Occupation"],
  kindPosting: ["招聘岗位", "Job posting"],
  kindIndustry: ["行业", "Industry"],
  kindEnterprise: ["企业", "Enterprise"],
  noPaths: ["没有路径。", "No paths."],
  // trends
  window: ["时间窗口", "Window"],
  window_year: ["年", "Year"],
  window_quarter: ["季度", "Quarter"],
  window_month: ["月", "Month"],
  window_6: ["半年", "Half-year"],
  topSkills: ["显示需求最多的技能数", "Skills shown (most demanded)"],
  trendChart: ["技能需求趋势（有日期的招聘岗位数）", "Skill demand over time (dated job postings)"],
  period: ["时段", "Period"],
  postings: ["岗位数", "Postings"],
  changeHelp: ["最近一个时段的岗位数减去前一个时段", "postings in the latest period minus the period before"],
  noTrend: ["该行业没有有日期的招聘岗位。", "This industry has no dated job postings."],
  // console
  namedQuery: ["命名查询", "Named query"],
  sparql: ["SPARQL", "SPARQL"],
  cypher: ["Cypher", "Cypher"],
  query: ["查询", "Query"],
  parameters: ["参数", "Parameters"],
  required: ["必填", "required"],
  run: ["运行", "Run"],
  results: ["结果", "Results"],
  rows: ["行", "rows"],
  truncated: ["结果已按行数上限截断", "cut at the row cap"],
  table: ["表格", "Table"],
  graph: ["图", "Graph"],
  downloadCsv: ["下载 CSV", "Download CSV"],
  downloadJson: ["下载 JSON", "Download JSON"],
  noGraph: ["该结果中没有可绘制的实体（IRI）。", "No entities (IRIs) in this result to draw."],
  cypherNeedsKey: ["Cypher 查询需要 API 密钥：请先登录。", "Cypher needs an API key: sign in first."],
  sparqlUnavailable: ["此服务器尚未提供 SPARQL 端点（/sparql）。", "This server has no SPARQL endpoint (/sparql) yet."],
  sparqlTwin: ["运行其 SPARQL 版本（RDF 存储）", "Run its SPARQL twin (on the RDF store)"],
  listHelp: ["多个值用逗号分隔", "comma-separated values"],
  // community
  community: ["共同体", "Community"],
  members: ["成员", "Members"],
  measure_member: ["成员单位", "Members"],
  measure_agreement: ["合作协议", "Agreements"],
  measure_resource: ["教育资源", "Resources"],
  measure_project: ["项目", "Projects"],
  measure_fund: ["资金", "Funds"],
  amount: ["金额", "Amount"],
  memberEnterprises: ["成员企业", "Member enterprises"],
  role: ["角色", "Role"],
  internships: ["实习岗位", "Internships"],
  trainingBases: ["实训基地", "Training bases"],
  agreements: ["协议", "Agreements"],
  projects: ["项目", "Projects"],
  yuan: ["元", "CNY"],
  entity: ["实体", "Entity"],
  narrowerRel: ["下位技能", "narrower"],
  notFound: ["图中找不到这条关系", "this relationship is not in the graph"],
  dataset: ["数据集", "Dataset"],
  q_strength: ["教学强度", "Teaching strength"],
  q_masteryLevel: ["掌握程度", "Mastery level"],
  q_weight: ["权重", "Weight"],
  q_relationType: ["要求类型", "Requirement"],
  q_level: ["等级", "Level"],
  q_role: ["角色", "Role"],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof TEXTS;

let current: Lang = (localStorage.getItem("ieic-lang") as Lang | null) ?? (navigator.language.startsWith("zh") ? "zh" : "en");
const listeners: Array<() => void> = [];

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem("ieic-lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

export function t(key: TextKey): string {
  return TEXTS[key][current === "zh" ? 0 : 1];
}

/** The label in the current language, else the other one, else the fallback (a code or IRI). */
export function pick(zh: string | null | undefined, en: string | null | undefined, fallback = ""): string {
  const [first, second] = current === "zh" ? [zh, en] : [en, zh];
  return first || second || fallback;
}

/** `pick` for an object with label_zh / label_en, or a {zh, en} label. */
export function labelOf(x: { label_zh?: string | null; label_en?: string | null } | { zh?: string | null; en?: string | null } | null | undefined, fallback = ""): string {
  if (!x) return fallback;
  if ("label_zh" in x || "label_en" in x) {
    const y = x as { label_zh?: string | null; label_en?: string | null };
    return pick(y.label_zh, y.label_en, fallback);
  }
  const y = x as { zh?: string | null; en?: string | null };
  return pick(y.zh, y.en, fallback);
}

export function fmtNumber(n: number, digits = 2): string {
  return n.toLocaleString(current === "zh" ? "zh-CN" : "en", { maximumFractionDigits: digits });
}

export function fmtPercent(x: number): string {
  return (x * 100).toLocaleString(current === "zh" ? "zh-CN" : "en", { maximumFractionDigits: 1 }) + "%";
}
