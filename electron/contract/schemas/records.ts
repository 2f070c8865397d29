import { z } from 'zod'
import { Id, PageQuery, TimestampMs, optionalText, pageOf, text } from './common'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format')

/** 'open': still in its period (公示中 or 可申请修复), what the 公示中的失信信息 figure counts. */
export const DISCLOSURE_FILTERS = ['open', 'disclosed', 'repairable', 'expiring', 'expired', 'repaired', 'revoked'] as const
export type DisclosureFilter = (typeof DISCLOSURE_FILTERS)[number]
const RECORD_SORTS = ['decisionDate', 'reportedOn', 'subjectName', 'createdAt', 'disclosureEndsOn'] as const

/** Filters of the records list; everything is applied in SQL. */
export const RecordQuery = PageQuery.extend({
  itemCode: z
    .string()
    .trim()
    .max(40)
    .nullish()
    .transform((v) => v || null),
  /** Subject name (beginning), or an exact 统一社会信用代码, 身份证号 or 文书号. */
  keyword: optionalText(100),
  supplierUnitId: Id.nullish().transform((v) => v ?? null),
  dateFrom: IsoDate.nullish().transform((v) => v ?? null),
  dateTo: IsoDate.nullish().transform((v) => v ?? null),
  /** Reported on or after this day (the 工作台's "late this month"). */
  reportedFrom: IsoDate.nullish().transform((v) => v ?? null),
  late: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  /** Only records with a 修复/异议 application waiting for review. */
  pendingAction: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  /** Only records with a 更正/撤回 waiting for review. */
  pendingChange: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  /** 问题数据: records the city rejected, waiting to be corrected. */
  rejected: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  disclosure: z
    .enum(DISCLOSURE_FILTERS)
    .nullish()
    .transform((v) => v ?? null),
  batchId: Id.nullish().transform((v) => v ?? null),
  sort: z.enum(RECORD_SORTS).default('decisionDate'),
  order: z.enum(['asc', 'desc']).default('desc'),
})
export type RecordQuery = z.output<typeof RecordQuery>

/** The disclosure states a 失信 record shows, as users read them (the values are the labels). */
export const DISCLOSURE_STATES = {
  disclosed: '公示中',
  repairable: '可申请修复',
  repaired: '已修复',
  expired: '已到期',
  revoked: '已撤销',
} as const
const D = DISCLOSURE_STATES
const DisclosureState = z.enum([D.disclosed, D.repairable, D.repaired, D.expired, D.revoked])

export const RecordSummary = z.object({
  id: Id,
  itemCode: z.string(),
  itemName: z.string(),
  subjectName: z.string(),
  subjectType: z.string().nullable(),
  /** 统一社会信用代码, or the masked 身份证号 of a natural person. */
  subjectCode: z.string().nullable(),
  docNumber: z.string().nullable(),
  decisionDate: z.string().nullable(),
  deadlineDate: z.string().nullable(),
  reportedOn: z.string(),
  isLate: z.boolean(),
  disclosure: DisclosureState.nullable(),
  repairableFrom: z.string().nullable(),
  disclosureEndsOn: z.string().nullable(),
  supplierUnitName: z.string().nullable(),
  createdAt: TimestampMs,
})
export type RecordSummary = z.infer<typeof RecordSummary>
/** `capped`: more than `total` records match (counting stops at 10,000). */
export const RecordPage = pageOf(RecordSummary).extend({ capped: z.boolean() })

export const RecordAction = z.object({
  id: Id,
  kind: z.enum(['repair', 'objection']),
  status: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string(),
  documents: z.string(),
  applicant: z.string(),
  filedByName: z.string(),
  filedAt: TimestampMs,
  decidedByName: z.string().nullable(),
  decidedAt: TimestampMs.nullable(),
  decisionComment: z.string().nullable(),
})
export type RecordAction = z.infer<typeof RecordAction>

const CellValue = z.union([z.string(), z.number(), z.null()])

export const RecordDetail = RecordSummary.extend({
  itemId: Id,
  itemVersion: z.number().int(),
  /** Values by data-item code; ID numbers masked. */
  values: z.record(z.string(), CellValue),
  fields: z.array(z.object({ code: z.string(), name: z.string(), type: z.string(), dictTypeCode: z.string().nullable() })),
  dishonestyLevel: z.string().nullable(),
  repairedOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  batchId: Id.nullable(),
  batchFileName: z.string().nullable(),
  createdByName: z.string().nullable(),
  /** The package that carried the record to the city, once the city's receipt acknowledged it. */
  reported: z.object({ to: z.string(), sequence: z.number().int(), acknowledgedAt: TimestampMs }).nullable(),
  actions: z.array(RecordAction),
  /** 1, then one more for each approved correction or withdrawal. */
  version: z.number().int(),
  withdrawnOn: z.string().nullable(),
  withdrawalDoc: z.string().nullable(),
  /** The city's rejection by receipt, while the record waits in 问题数据. */
  rejection: z.object({ code: z.string(), reason: z.string(), at: TimestampMs }).nullable(),
  changes: z.array(z.lazy(() => RecordChange)),
})
export type RecordDetail = z.infer<typeof RecordDetail>

export const RecordIdInput = z.object({ id: Id })

/** One record typed into the generated form. Values are checked in main against the item's data items. */
export const NewRecordInput = z.object({
  itemCode: text(40),
  supplierUnitId: Id.nullish().transform((v) => v ?? null),
  values: z.record(z.string().max(40), z.union([z.string().max(10_000), z.number(), z.null()])),
})
export const NewRecordResult = z.object({
  id: Id,
  isLate: z.boolean(),
  deadlineDate: z.string().nullable(),
  calendarGaps: z.array(z.number().int()),
})

export const ItemCodeInput = z.object({ itemCode: text(40) })
/** What the entry form starts with: the 机关 section as this user last entered it for the item. */
export const EntryDefaults = z.object({ values: z.record(z.string(), z.string()) })
export const RecordExportInput = RecordQuery.omit({ page: true, pageSize: true })
export const FileResult = z.object({ cancelled: z.boolean(), fileName: z.string().nullable(), rows: z.number().int() })

export const FileActionInput = z.object({
  recordId: Id,
  kind: z.enum(['repair', 'objection']),
  applicant: text(200),
  reason: text(2000),
  documents: text(2000),
})
export const DecideActionInput = z.object({
  id: Id,
  decision: z.enum(['approved', 'rejected']),
  comment: text(2000),
})

export const RecordStats = z.object({
  total: z.number().int(),
  late: z.number().int(),
  disclosed: z.number().int(),
  expiringSoon: z.number().int(),
  pendingActions: z.number().int(),
  /** 问题数据: records the city rejected, not yet corrected. */
  rejected: z.number().int(),
  byUnit: z.array(z.object({ unitName: z.string().nullable(), total: z.number().int(), late: z.number().int() })),
})
export const StatsInput = z.object({
  itemCode: z
    .string()
    .trim()
    .max(40)
    .nullish()
    .transform((v) => v || null),
})

// Import jobs: the file is chosen in main (the renderer never names a path), read as a preview, then
// imported on request; the renderer polls the job for progress and may cancel it.
export const ImportIssue = z.object({ row: z.number().int(), column: z.string(), columnName: z.string(), reason: z.string() })
const ImportPreviewView = z.object({
  rows: z.number().int(),
  validRows: z.number().int(),
  invalidRows: z.number().int(),
  lateRows: z.number().int(),
  /** The first issues, for the preview table; the error workbook has them all. */
  issues: z.array(ImportIssue),
  issueCount: z.number().int(),
  unknownColumns: z.array(z.string()),
  calendarGaps: z.array(z.number().int()),
})
export const ImportJob = z.object({
  id: z.string(),
  itemCode: z.string(),
  fileName: z.string(),
  phase: z.enum(['preview', 'import']),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  rowsRead: z.number().int(),
  /** Known once the preview has read the file; the import's progress is rowsRead / totalRows. */
  totalRows: z.number().int().nullable(),
  preview: ImportPreviewView.nullable(),
  imported: z.number().int().nullable(),
  batchId: Id.nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
})
export type ImportJob = z.infer<typeof ImportJob>
export const ImportOpenResult = z.object({ job: ImportJob.nullable() })
export const JobIdInput = z.object({ jobId: z.string().uuid() })
export const ImportCommitInput = z.object({
  jobId: z.string().uuid(),
  mode: z.enum(['all', 'valid_only']),
  supplierUnitId: Id.nullish().transform((v) => v ?? null),
})

// The office's holiday table (节假日维护).
export const CalendarYearInput = z.object({ year: z.number().int().min(2000).max(2100) })
export const CalendarYearView = z.object({
  year: z.number().int(),
  /** Whether the packaged State Council arrangement covers the year. */
  packaged: z.boolean(),
  confirmed: z.boolean(),
  packagedDays: z.array(z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() })),
  overrides: z.array(z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() })),
})
export const SaveOverrideInput = z.object({ date: IsoDate, kind: z.enum(['holiday', 'workday']), name: text(40) })
export const DeleteOverrideInput = z.object({ date: IsoDate })

/** The 失信等级 a disclosure rule governs. */
export const DishonestyLevel = z.enum(['minor', 'general', 'serious'])

export const DisclosureRuleView = z.object({
  id: Id,
  effectiveFrom: z.string(),
  level: DishonestyLevel,
  minMonths: z.number().int(),
  maxMonths: z.number().int(),
  /** 依据: the document (文号) that sets the periods. */
  basis: z.string(),
  note: z.string().nullable(),
  /** Came with the software: the national regimes, not edited here. */
  shipped: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.number().nullable(),
})
export type DisclosureRuleView = z.infer<typeof DisclosureRuleView>

export const SaveDisclosureRule = z.object({
  id: Id.nullish(),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format'),
  level: DishonestyLevel,
  minMonths: z.number().int().min(0).max(120),
  maxMonths: z.number().int().min(1).max(120),
  basis: text(200),
  note: optionalText(500),
})
export type SaveDisclosureRule = z.infer<typeof SaveDisclosureRule>

export const DisclosureRuleChange = z.object({ id: Id, recomputed: z.number().int() })

export const RecordChange = z.object({
  id: Id,
  kind: z.enum(['correction', 'withdrawal']),
  status: z.enum(['pending', 'approved', 'rejected']),
  reason: z.string(),
  document: z.string().nullable(),
  /** The version an approved change made. */
  version: z.number().int().nullable(),
  /** The data the change replaced (ID numbers masked), once approved. */
  previousValues: z.record(z.string(), CellValue).nullable(),
  /** What a correction proposes (ID numbers masked). */
  proposedValues: z.record(z.string(), CellValue).nullable(),
  filedByName: z.string(),
  filedAt: TimestampMs,
  decidedByName: z.string().nullable(),
  decidedAt: TimestampMs.nullable(),
  comment: z.string().nullable(),
})
export type RecordChange = z.infer<typeof RecordChange>

export const ProposeCorrectionInput = z.object({
  recordId: Id,
  values: z.record(z.string().max(40), z.union([z.string().max(10_000), z.number(), z.null()])),
  reason: text(2000),
})
export const ProposeWithdrawalInput = z.object({ recordId: Id, reason: text(2000), document: text(200) })
export const DecideChangeInput = z.object({ id: Id, decision: z.enum(['approved', 'rejected']), comment: optionalText(2000) })
export const DecideChangeResult = z.object({ recordId: Id, version: z.number().int().nullable() })

export const BatchInput = z.object({ batchId: Id })
export const RollbackRequestInput = z.object({ batchId: Id, reason: text(2000) })
export const RollbackDecisionInput = z.object({ batchId: Id, decision: z.enum(['approved', 'rejected']) })
export const BatchState = z.object({
  id: Id,
  fileName: z.string(),
  imported: z.number().int(),
  createdAt: TimestampMs,
  rollbackRequestedBy: z.string().nullable(),
  rollbackRequestedAt: TimestampMs.nullable(),
  rollbackReason: z.string().nullable(),
  rolledBackAt: TimestampMs.nullable(),
  blocked: z.enum(['batch_sent', 'batch_in_use']).nullable(),
})
export const RollbackResult = z.object({ removed: z.number().int() })

/** A month as YYYY-MM. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month.format')
export const MonthInput = z.object({ month: Month })

const MonthlyCounts = z.object({
  /** Records received (reported) in the month, and per catalog item code. */
  records: z.number().int(),
  byItem: z.record(z.string(), z.number().int()),
  /** Reported within the 7 working days (及时). */
  onTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  /** Needed no correction and drew no city rejection (合规, first time). */
  firstPass: z.number().int(),
  firstPassRate: z.number().nullable(),
  /** Records of 社会公开 items, and those the city acknowledged (公示率 = published ÷ toPublish). */
  toPublish: z.number().int(),
  published: z.number().int(),
  publishedRate: z.number().nullable(),
  /** Approved corrections and withdrawals decided in the month, and city rejections received in it. */
  corrected: z.number().int(),
  withdrawn: z.number().int(),
  rejected: z.number().int(),
})
export const MonthlyUnitRow = MonthlyCounts.extend({ unitId: Id.nullable(), unit: z.string(), rank: z.number().int().nullable() })
export type MonthlyUnitRow = z.infer<typeof MonthlyUnitRow>
export const MonthlyReport = z.object({ month: Month, units: z.array(MonthlyUnitRow), total: MonthlyCounts })
export type MonthlyReport = z.infer<typeof MonthlyReport>
