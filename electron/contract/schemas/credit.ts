// 信用应用 across the typed boundary: 名单, 信用核查 and its 核查登记, 联合奖惩 cases, 信用承诺, 信用报告.
import { z } from 'zod'
import { Id, PageQuery, TimestampMs, optionalText, pageOf, text } from './common'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format')
const optionalDate = IsoDate.nullish().transform((v) => v ?? null)

/** The built-in list kinds; an office may add its own to the list_kind dictionary (they count as 重点关注). */
export const LIST_KINDS = { red: '红名单', black: '黑名单', watch: '重点关注名单' } as const
export const LIST_STATUSES = ['active', 'expired', 'removed'] as const
export type ListStatus = (typeof LIST_STATUSES)[number]
export const LIST_SOURCES = ['city', 'local', 'import'] as const
export type ListSource = (typeof LIST_SOURCES)[number]

/** A check's answer for one subject, in order of weight: a black-list hit outweighs everything. */
export const VERDICTS = ['punish', 'watch', 'reward', 'clean', 'invalid'] as const
export type Verdict = (typeof VERDICTS)[number]
export const HIT_SOURCES = ['list', 'record', 'commitment'] as const
export type HitSource = (typeof HIT_SOURCES)[number]

export const COMMITMENT_STATUSES = ['keeping', 'kept', 'breached'] as const
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number]
export const SUBJECT_KINDS = ['legal', 'individual_business', 'natural_person', 'unknown'] as const
export type SubjectKind = (typeof SUBJECT_KINDS)[number]

/** A subject as a user gives it: a name, a 统一社会信用代码 or 身份证号, or both. */
export const SubjectInput = z
  .object({ name: optionalText(200), code: optionalText(40) })
  .refine((s) => s.name || s.code, { message: 'credit.subjectMissing' })
export type SubjectInput = z.output<typeof SubjectInput>

export const ListQuery = PageQuery.extend({
  kind: optionalText(40),
  status: z
    .enum(LIST_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
  source: z
    .enum(LIST_SOURCES)
    .nullish()
    .transform((v) => v ?? null),
  /** Subject name (part), or an exact code or ID number. */
  keyword: optionalText(100),
})
export const ListEntry = z.object({
  id: Id,
  subjectName: z.string(),
  subjectType: z.enum(SUBJECT_KINDS),
  /** A USCC in full; an ID number masked. */
  subjectShown: z.string().nullable(),
  kind: z.string(),
  kindLabel: z.string(),
  decidedBy: z.string(),
  basis: z.string(),
  listedOn: z.string(),
  validUntil: z.string().nullable(),
  removedOn: z.string().nullable(),
  removedReason: z.string().nullable(),
  status: z.enum(LIST_STATUSES),
  source: z.enum(LIST_SOURCES),
  note: z.string().nullable(),
})
export type ListEntry = z.infer<typeof ListEntry>
export const ListPage = pageOf(ListEntry)

export const NewListEntry = z.object({
  name: text(200),
  code: text(40),
  kind: text(40),
  decidedBy: text(200),
  basis: text(200),
  listedOn: IsoDate,
  validUntil: optionalDate,
  note: optionalText(500),
})
export const SaveListResult = z.object({ id: Id, merged: z.boolean() })
export const RemoveListEntry = z.object({ id: Id, removedOn: IsoDate, reason: text(500) })

const Issue = z.object({ row: z.number().int(), column: z.string(), columnName: z.string(), reason: z.string() })
export const ListImportInput = z.object({ validOnly: z.boolean().default(false) })
export const ListImportResult = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  rows: z.number().int(),
  imported: z.number().int(),
  merged: z.number().int(),
  rejected: z.number().int(),
  issues: z.array(Issue),
})

export const Hit = z.object({
  source: z.enum(HIT_SOURCES),
  /** 黑名单 / 行政处罚信息 / 违诺 … */
  kind: z.string(),
  /** What the finding rests on: 认定依据, 文书号, 承诺事由. */
  basis: z.string(),
  by: z.string().nullable(),
  date: z.string().nullable(),
  until: z.string().nullable(),
  /** An expired or removed list entry is shown, but does not count. */
  active: z.boolean(),
  state: z.string(),
  weight: z.enum(['punish', 'watch', 'reward']),
})
export type Hit = z.infer<typeof Hit>
export const SubjectResult = z.object({
  id: Id,
  seq: z.number().int(),
  subjectName: z.string(),
  subjectShown: z.string().nullable(),
  verdict: z.enum(VERDICTS),
  nameOnly: z.boolean(),
  /** Why a subject could not be checked (an invalid code), in words. */
  problem: z.string().nullable(),
  hits: z.array(Hit),
})
export type SubjectResult = z.infer<typeof SubjectResult>

export const CheckInput = z.object({ purpose: text(200), subjects: z.array(SubjectInput).min(1, 'credit.subjectMissing').max(200) })
export const CheckFileInput = z.object({ purpose: text(200) })
export const CheckSummary = z.object({
  id: Id,
  number: z.string(),
  purpose: z.string(),
  fileName: z.string().nullable(),
  subjectCount: z.number().int(),
  hitCount: z.number().int(),
  checkedBy: z.string(),
  unitName: z.string().nullable(),
  checkedAt: TimestampMs,
})
export const CheckDetail = CheckSummary.extend({ officeName: z.string(), results: z.array(SubjectResult) })
export type CheckDetail = z.infer<typeof CheckDetail>
export const CheckRunResult = z.object({ cancelled: z.boolean(), check: CheckDetail.nullable() })
export const CheckQuery = PageQuery.extend({ keyword: optionalText(100) })
export const CheckPage = pageOf(CheckSummary)
export const CheckIdInput = z.object({ checkId: Id })

export const NewCase = z
  .object({
    checkResultId: Id,
    /** Which hit of the result the case answers (its index in hits). */
    hitIndex: z.number().int().min(0).max(500),
    applied: z.boolean(),
    measure: optionalText(40),
    notAppliedReason: optionalText(1000),
    decidingUnitId: Id,
    decisionDoc: optionalText(100),
    decidedOn: IsoDate,
  })
  .refine((c) => (c.applied ? !!c.measure : !!c.notAppliedReason), { message: 'case.measureOrReason', path: ['measure'] })
export const CaseFeedback = z.object({ caseId: Id, feedback: text(2000) })
export const SanctionCase = z.object({
  id: Id,
  subjectName: z.string(),
  subjectShown: z.string().nullable(),
  direction: z.enum(['punish', 'reward']),
  basisSource: z.enum(HIT_SOURCES),
  basisText: z.string(),
  measure: z.string().nullable(),
  measureLabel: z.string().nullable(),
  applied: z.boolean(),
  notAppliedReason: z.string().nullable(),
  decidingUnit: z.string(),
  decisionDoc: z.string().nullable(),
  decidedOn: z.string(),
  feedback: z.string().nullable(),
  checkNumber: z.string().nullable(),
})
export const CaseQuery = PageQuery.extend({
  unitId: Id.nullish().transform((v) => v ?? null),
  year: z.number().int().min(2000).max(2100).nullish(),
  quarter: z.number().int().min(1).max(4).nullish(),
  direction: z.enum(['punish', 'reward']).nullish(),
})
export const CasePage = pageOf(SanctionCase)
export const CaseStatsInput = z.object({ year: z.number().int().min(2000).max(2100) })
export const CaseStats = z.object({
  rows: z.array(
    z.object({
      unitId: Id,
      unitName: z.string(),
      quarters: z.array(z.object({ applied: z.number().int(), notApplied: z.number().int() })).length(4),
      applied: z.number().int(),
      notApplied: z.number().int(),
    }),
  ),
})

export const NewCommitment = z.object({
  name: text(200),
  code: text(40),
  type: text(40),
  reason: text(500),
  content: optionalText(2000),
  committedOn: IsoDate,
  unitId: Id,
})
export const Commitment = z.object({
  id: Id,
  subjectName: z.string(),
  subjectShown: z.string().nullable(),
  type: z.string(),
  typeLabel: z.string(),
  reason: z.string(),
  content: z.string().nullable(),
  committedOn: z.string(),
  unitName: z.string(),
  scanFileName: z.string().nullable(),
  status: z.enum(COMMITMENT_STATUSES),
  keptOn: z.string().nullable(),
  breach: z
    .object({
      facts: z.string(),
      doc: z.string(),
      decidedOn: z.string(),
      proposedBy: z.string(),
      proposedAt: TimestampMs,
      decidedBy: z.string().nullable(),
      refusedReason: z.string().nullable(),
      recordId: Id.nullable(),
    })
    .nullable(),
})
export type Commitment = z.infer<typeof Commitment>
export const CommitmentQuery = PageQuery.extend({
  status: z
    .enum(COMMITMENT_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
  /** Only those with a 违诺 proposal waiting for a decision. */
  pending: z.boolean().nullish(),
  keyword: optionalText(100),
})
export const CommitmentPage = pageOf(Commitment)
export const CommitmentIdInput = z.object({ commitmentId: Id })
export const MarkKeptInput = z.object({ commitmentId: Id, keptOn: IsoDate })
export const ProposeBreach = z.object({ commitmentId: Id, facts: text(2000), doc: text(64), decidedOn: IsoDate })
export const DecideBreach = z
  .object({ commitmentId: Id, approve: z.boolean(), reason: optionalText(500) })
  .refine((d) => d.approve || !!d.reason, { message: 'required', path: ['reason'] })

export const ReportInput = z.object({
  subject: SubjectInput,
  purpose: text(200),
  /** 自然人: the reference of the subject's written authorisation (授权书编号 / 文号). */
  authorisation: optionalText(200),
  periodFrom: IsoDate,
  periodTo: IsoDate,
})
const ReportRow = z.object({ label: z.string(), value: z.string() })
export const ReportSection = z.object({
  key: z.enum(['registration', 'administrative', 'honours', 'lists', 'commitments', 'other']),
  title: z.string(),
  rows: z.array(z.array(ReportRow)),
  empty: z.string(),
})
export const CreditReport = z.object({
  id: Id,
  number: z.string(),
  subjectName: z.string(),
  subjectShown: z.string().nullable(),
  subjectType: z.enum(SUBJECT_KINDS),
  purpose: z.string(),
  authorisation: z.string().nullable(),
  periodFrom: z.string(),
  periodTo: z.string(),
  officeName: z.string(),
  producedBy: z.string(),
  producedAt: TimestampMs,
  sections: z.array(ReportSection),
})
export type CreditReport = z.infer<typeof CreditReport>
export const ReportIdInput = z.object({ reportId: Id })
export const ReportQuery = PageQuery.extend({ keyword: optionalText(100) })
export const ReportPage = pageOf(
  CreditReport.pick({
    id: true,
    number: true,
    subjectName: true,
    subjectShown: true,
    purpose: true,
    periodFrom: true,
    periodTo: true,
    producedBy: true,
    producedAt: true,
  }),
)
