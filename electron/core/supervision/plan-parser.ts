// Turns a 社会信用体系建设工作要点 / 实施方案 (plain text, as extracted from txt, docx or a PDF text
// layer) into supervision tasks: the numbered items with their section, units by role, deadline and
// recurrence, plus the document's issuer, number and plan year. Rules, not fixtures: markers
// 一、/（一）/1./（1） in either bracket width, unit clauses in the styles offices use, role words
// reaching back over their group, deadline phrases resolved against the plan year.

export interface PlanUnits {
  lead: string[]
  responsible: string[]
  cooperating: string[]
}

export interface PlanTask {
  path: string[]
  number: string
  title: string
  section: string
  units: PlanUnits
  deadline: string | null
  deadlineText: string | null
  recurring: string | null
  /** The item's own text, for the review screen beside the parsed fields. */
  source: string
}

export interface ParsedPlan {
  issuer: string | null
  docNumber: string | null
  year: number | null
  tasks: PlanTask[]
}

type MarkerKind = 'cn' | 'pcn' | 'num' | 'pnum'
const LEVEL: Record<MarkerKind, number> = { cn: 1, pcn: 2, num: 3, pnum: 4 }

interface Node {
  kind: MarkerKind
  label: string // as in a path: 一, (一), 1, (1)
  text: string
  children: Node[]
  parent: Node | null
}

const CN = '一二三四五六七八九十'
const MARKERS: Array<[MarkerKind, RegExp]> = [
  ['cn', new RegExp(`^([${CN}]{1,3})[、，,.．]\\s*`)],
  ['pcn', new RegExp(`^[（(]([${CN}]{1,3})[）)]\\s*`)],
  ['pnum', /^[（(](\d{1,2})[）)]\s*/],
  ['num', /^(\d{1,2})\s*[.．、](?!\d)\s*/],
]

/** Markdown and web debris around a line: list bullets, headings, bold marks. */
function cleanLine(line: string): string {
  return line
    .replace(/\*\*/g, '')
    .replace(/^\s*(?:[-*•·]|#{1,6})\s+/, '')
    .replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, '')
}

function markerOf(line: string): { kind: MarkerKind; label: string; rest: string } | null {
  for (const [kind, re] of MARKERS) {
    const m = re.exec(line)
    if (!m) continue
    const label = kind === 'pcn' || kind === 'pnum' ? `(${m[1]})` : m[1]!
    return { kind, label, rest: line.slice(m[0].length) }
  }
  return null
}

/** Spaces inside Chinese text are line-wrap artefacts of PDF extraction. */
function squeeze(text: string): string {
  return text.replace(/[\s\u3000\u00a0]+/g, '')
}

function buildTree(lines: string[]): Node[] {
  const roots: Node[] = []
  const stack: Node[] = []
  let started = false
  for (const raw of lines) {
    const line = cleanLine(raw)
    if (!line) continue
    const marker = markerOf(line)
    if (marker && (marker.kind === 'cn' || started)) {
      started = true
      while (stack.length && LEVEL[stack[stack.length - 1]!.kind] >= LEVEL[marker.kind]) stack.pop()
      const parent = stack[stack.length - 1] ?? null
      const node: Node = { kind: marker.kind, label: marker.label, text: marker.rest, children: [], parent }
      if (parent) parent.children.push(node)
      else roots.push(node)
      stack.push(node)
    } else if (started && stack.length) {
      stack[stack.length - 1]!.text += `\n${line}`
    }
  }
  return roots
}

// ---- units -----------------------------------------------------------------------------------

const CLAUSE_LABEL = '(?:责任部门|责任单位|负责单位|牵头单位|牵头部门|对接单位|责任主体|实施单位)'

/** The unit clause of an item's text and the text without it. Bracketed clauses may nest brackets. */
function unitClause(text: string): { clause: string | null; rest: string } {
  const open = new RegExp(`[（(]\\s*${CLAUSE_LABEL}\\s*[:：]`).exec(text)
  if (open) {
    let depth = 1
    let i = open.index + open[0].length
    for (; i < text.length && depth > 0; i++) {
      if ('（('.includes(text[i]!)) depth++
      else if ('）)'.includes(text[i]!)) depth--
    }
    return { clause: text.slice(open.index + open[0].length, i - 1), rest: text.slice(0, open.index) + text.slice(i) }
  }
  // A clause on its own line runs to the end of the item: PDF extraction wraps it over lines.
  const line = new RegExp(`(?:^|\\n|。)\\s*${CLAUSE_LABEL}\\s*[:：]([\\s\\S]*)$`).exec(text)
  if (line) return { clause: line[1]!, rest: text.slice(0, line.index) + text.slice(line.index + line[0].length) }
  return { clause: null, rest: text }
}

type Role = 'lead' | 'responsible' | 'cooperating'
// Longest first: 按职责分工负责 before 负责, 负责配合 before 配合 and 负责.
const ROLE_WORDS: Array<[string, Role | 'auto']> = [
  ['根据职责分工负责', 'responsible'],
  ['根据职责分别负责', 'responsible'],
  ['根据职责分工', 'responsible'],
  ['根据职责分别', 'responsible'],
  ['按职责分工负责', 'responsible'],
  ['按职责分工', 'responsible'],
  ['按职责负责', 'responsible'],
  ['分别负责', 'responsible'],
  ['牵头负责', 'lead'],
  ['负责配合', 'cooperating'],
  ['牵头', 'lead'],
  ['配合', 'cooperating'],
  ['参加', 'cooperating'],
  ['参与', 'cooperating'],
  ['协助', 'cooperating'],
  ['负责', 'auto'],
]
const ROLE_RE = new RegExp(ROLE_WORDS.map(([w]) => w).join('|'), 'g')

/** Splits on separators outside brackets: 各县（市、区） stays one unit. */
function splitOutside(text: string, separators: string): string[] {
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if ('（(【['.includes(ch)) depth++
    if ('）)】]'.includes(ch)) depth = Math.max(0, depth - 1)
    if (depth === 0 && separators.includes(ch)) {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }
  parts.push(cur)
  return parts
}

function unitNames(segment: string): string[] {
  return splitOutside(segment.replace(/以及|及/g, '、'), '、，,；;')
    .map((u) =>
      u
        .replace(/^.{0,12}?由/, '') // 金融行业由人民银行…牵头: the scope before 由 is not a unit
        .replace(/等(?:有关|相关|涉农)?[\u4e00-\u9fa5]{0,6}?(?:部门|单位|机构)?$/, '')
        .replace(/[。.]+$/, '')
        .trim(),
    )
    .filter((u) => u.length > 0)
}

export function parseUnits(clause: string): PlanUnits {
  const units: PlanUnits = { lead: [], responsible: [], cooperating: [] }
  const text = squeeze(clause).replace(/[。.]+$/, '')
  const hasLead = /牵头/.test(text)
  // Role groups: ';' where the document uses it (',' may then sit inside a group), else '，'.
  const groups = splitOutside(text, /[;；]/.test(text) ? ';；' : '，,')
  for (const group of groups) {
    // Within a group a role word reaches back to the previous role word (or the group start); text
    // after a role word up to the next separator is a description, not a unit.
    let from = 0
    ROLE_RE.lastIndex = 0
    for (let m = ROLE_RE.exec(group); m; m = ROLE_RE.exec(group)) {
      const word = m[0]
      const mapped = ROLE_WORDS.find(([w]) => w === word)![1]
      const role: Role = mapped === 'auto' ? (hasLead ? 'responsible' : 'lead') : mapped
      units[role].push(...unitNames(group.slice(from, m.index)))
      // Skip the description after the role word (负责本区域…的建设), to the next separator or the end.
      const after = group.slice(m.index + word.length)
      const sep = /[、，,]/.exec(after)
      from = m.index + word.length + (sep ? sep.index : after.length)
      ROLE_RE.lastIndex = from
    }
    units.responsible.push(...unitNames(group.slice(from)))
  }
  for (const role of ['lead', 'responsible', 'cooperating'] as const) units[role] = [...new Set(units[role])]
  return units
}

// ---- deadlines ---------------------------------------------------------------------------------

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`

const DEADLINES: Array<[RegExp, (m: RegExpExecArray, year: number) => string | null]> = [
  [/(\d{4})年(\d{1,2})月(\d{1,2})日(?:之)?前/, (m) => iso(+m[1]!, +m[2]!, +m[3]!)],
  [/(\d{4})年(\d{1,2})月底(?:之)?前/, (m) => iso(+m[1]!, +m[2]!, lastDay(+m[1]!, +m[2]!))],
  [/(\d{4})年(\d{1,2})月(?:之)?前/, (m) => (+m[2]! === 1 ? iso(+m[1]! - 1, 12, 31) : iso(+m[1]!, +m[2]! - 1, lastDay(+m[1]!, +m[2]! - 1)))],
  [/(\d{4})年(?:底|年底)(?:之)?前/, (m) => iso(+m[1]!, 12, 31)],
  [/(\d{4})年上半年/, (m) => iso(+m[1]!, 6, 30)],
  [/(\d{4})年下半年/, (m) => iso(+m[1]!, 12, 31)],
  [/(\d{4})年(?:内)?(?:建成|完成)/, (m) => iso(+m[1]!, 12, 31)],
  [/(?<![\d年每])(\d{1,2})月(\d{1,2})日(?:之)?前/, (m, y) => iso(y, +m[1]!, +m[2]!)],
  [/(?<![\d年每])(\d{1,2})月底(?:之)?前/, (m, y) => iso(y, +m[1]!, lastDay(y, +m[1]!))],
  [/(?<![\d年每])(\d{1,2})月(?:份)?(?:之)?前/, (m, y) => (+m[1]! === 1 ? iso(y - 1, 12, 31) : iso(y, +m[1]! - 1, lastDay(y, +m[1]! - 1)))],
  [/(?<!\d)年底(?:之)?前/, (_m, y) => iso(y, 12, 31)],
  [/(?<![\d年])上半年/, (_m, y) => iso(y, 6, 30)],
]

/** Time phrases that are not dates: kept as the deadline text, never turned into an invented date. */
const NOT_A_DATE = /第[一二三四1-4]季度(?:末|内)?|长期坚持|持续推进|长期|常态化|适时|逐步推进/

function findDeadline(text: string, year: number | null): { deadline: string | null; text: string | null } {
  let best: { at: number; deadline: string | null; text: string } | null = null
  for (const [re, resolve] of DEADLINES) {
    const m = re.exec(text)
    if (!m || (best && m.index >= best.at)) continue
    if (!/^\d{4}/.test(m[0]) && year == null) continue
    best = { at: m.index, deadline: resolve(m, year ?? 0), text: m[0] }
  }
  if (best) return { deadline: best.deadline, text: best.text }
  const vague = NOT_A_DATE.exec(text)
  return { deadline: null, text: vague ? vague[0] : null }
}

function findRecurring(text: string): string | null {
  const monthly = /每月(\d{1,2})日(?:之)?前/.exec(text)
  if (monthly) return `monthly:${monthly[1]}`
  if (/每月/.test(text)) return 'monthly'
  if (/每季度?/.test(text)) return 'quarterly'
  if (/每半年/.test(text)) return 'semiannual'
  if (/每年/.test(text)) return 'annual'
  return null
}

// ---- document ----------------------------------------------------------------------------------

function findHeader(lines: string[]): Pick<ParsedPlan, 'issuer' | 'docNumber'> {
  const head = lines.slice(0, 60).map(cleanLine)
  const docNumber = head.map((l) => /[\u4e00-\u9fa5]{1,12}[〔[［]\d{4}[〕\]］]\d{1,4}号/.exec(l)?.[0]).find(Boolean) ?? null
  const labelled = head.map((l) => /^制发机关[:：]\s*(.+)$/.exec(l)?.[1]).find(Boolean)
  const fileLine = head.map((l) => /^(.{2,40}?)\s*文件$/.exec(l)?.[1]).find(Boolean)
  const issuer = (labelled ?? fileLine)?.replace(/\s+/g, ' ').trim() ?? null
  return { issuer, docNumber: docNumber?.replace(/[[［]/, '〔').replace(/[\]］]/, '〕') ?? null }
}

/** The year deadlines refer to: the one explicit deadline phrases name most, else the plan title's, else the document number's. */
function planYear(text: string, docNumber: string | null): number | null {
  const counts = new Map<number, number>()
  for (const m of text.matchAll(/(\d{4})年(?:\d{1,2}月(?:\d{1,2}日|底)?|底|上半年|下半年)(?:之)?前?/g)) {
    if (!/前|上半年|下半年/.test(m[0])) continue
    counts.set(+m[1]!, (counts.get(+m[1]!) ?? 0) + 1)
  }
  if (counts.size) return [...counts].sort((a, b) => b[1] - a[1])[0]![0]
  const title = /(\d{4})\s*年[^。\n]{0,30}?(?:工作要点|工作方案|实施方案|行动计划|任务分工)/.exec(text)
  if (title) return +title[1]!
  const num = docNumber ? /(\d{4})/.exec(docNumber) : null
  return num ? +num[1]! : null
}

function titleOf(text: string): string {
  const flat = squeeze(unitClause(text).rest)
  const end = flat.search(/[。]/)
  return (end >= 0 ? flat.slice(0, end) : flat).replace(/[；;，,：:.。]+$/, '')
}

export function parsePlan(raw: string): ParsedPlan {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n')
  const header = findHeader(lines)
  const year = planYear(squeeze(raw), header.docNumber)
  const roots = buildTree(lines)
  const tasks: PlanTask[] = []

  const hasClause = (n: Node): boolean => unitClause(n.text).clause != null || n.children.some(hasClause)
  const walk = (node: Node, path: string[], sectionHasUnits: boolean) => {
    const here = [...path, node.label]
    const { clause, rest } = unitClause(node.text)
    const numberedChildren = node.children.filter((c) => c.kind === 'num' || c.kind === 'pnum')
    const isTask =
      node.kind === 'num' || node.kind === 'pnum' ? sectionHasUnits : node.kind === 'pcn' && clause != null && numberedChildren.length === 0
    if (isTask) {
      const flat = squeeze(rest)
      const d = findDeadline(flat, year)
      tasks.push({
        path: here,
        number: node.label,
        title: titleOf(node.text),
        section: node.parent ? titleOf(node.parent.text) : '',
        units: clause ? parseUnits(clause) : { lead: [], responsible: [], cooperating: [] },
        deadline: d.deadline,
        deadlineText: d.text,
        recurring: findRecurring(flat),
        source: node.text,
      })
    }
    for (const child of node.children) walk(child, here, sectionHasUnits)
  }
  for (const root of roots) walk(root, [], hasClause(root))
  return { ...header, year, tasks }
}

/** The plan's own title (《…工作要点》 in the covering notice, or the heading line), for the office's list. */
export function planTitle(raw: string): string | null {
  const kinds = '(?:工作要点|工作方案|实施方案|实施意见|行动计划|任务分工)'
  const quotedIn = (text: string) => new RegExp(`《([^》]{4,60}${kinds}[^》]{0,10})》`).exec(text)?.[1]
  // The document's own title sits near the top (关于印发《…》的通知, or the title itself); a plan quoted in the
  // preamble (根据《…任务分工》) is only a fallback.
  const head = raw.split('\n').map(cleanLine).filter(Boolean).slice(0, 20)
  const titleLine = head.find((l) => l.length <= 100 && new RegExp(`${kinds}(?:》?的通知)?$`).test(l))
  if (titleLine) return squeeze(quotedIn(titleLine) ?? titleLine)
  const quoted = quotedIn(raw)
  return quoted ? squeeze(quoted) : null
}
