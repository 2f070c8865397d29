import { z } from 'zod'
import { Id, TimestampMs, optionalText, text } from './common'

/** Where one unit stands on a task: pending → assigned → signed → in_progress → submitted → done (or returned). */
export const UNIT_STATUSES = ['pending', 'assigned', 'signed', 'in_progress', 'submitted', 'returned', 'done'] as const
export type UnitStatus = (typeof UNIT_STATUSES)[number]

/** Escalating letters, lowest first: 提醒函 (blue), 督办函 (yellow), 通报 (red). */
export const LETTER_LEVELS = ['reminder', 'letter', 'notice'] as const
export type LetterLevel = (typeof LETTER_LEVELS)[number]
/** 立项依据 of a task set up by hand. */
export const BASIS_KINDS = ['instruction', 'meeting', 'superior', 'public', 'other'] as const
export const SUPERVISION_TYPES = ['routine', 'special', 'key'] as const
export const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const
export const CONTACT_KINDS = ['meeting', 'phone', 'onsite'] as const
export const RECURRENCES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format')
const Names = z.array(text(100)).max(100)
export const PlanUnits = z.object({ lead: Names, responsible: Names, cooperating: Names })

const ParsedTask = z.object({
  path: z.array(z.string().max(10)).min(1).max(6),
  number: z.string().max(10),
  title: text(500),
  section: z.string().max(500),
  deadline: IsoDate.nullable(),
  deadlineText: z.string().max(50).nullable(),
  recurring: z.string().max(20).nullable(),
  source: z.string().max(20_000),
  units: PlanUnits,
})

export const UnitMatch = z.object({
  name: z.string(),
  unitId: Id.nullable(),
  unitName: z.string().nullable(),
  how: z.enum(['exact', 'alias', 'normalised', 'ignored']).nullable(),
})

export const PlanDraft = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  title: z.string().nullable(),
  issuer: z.string().nullable(),
  docNumber: z.string().nullable(),
  year: z.number().int().nullable(),
  tasks: z.array(ParsedTask),
  matches: z.array(UnitMatch),
})

export const PlanConfirmInput = z.object({
  title: text(200),
  issuer: optionalText(200),
  docNumber: optionalText(100),
  year: z.number().int().min(2000).max(2100),
  sourceFile: optionalText(260),
  tasks: z.array(ParsedTask).min(1, 'plan.noTasks').max(2000),
  /** Each printed name: an existing unit, a new one (create), or no unit at all (ignore: 各行业管理部门 and the like). */
  /** Confirming a plan the city issued that was held for review. */
  draftId: Id.nullish().transform((v) => v ?? null),
  resolutions: z
    .array(z.object({ name: text(100), unitId: Id.nullable(), create: z.boolean(), ignore: z.boolean().default(false) }))
    .max(2000),
})
export const PlanDraftSummary = z.object({
  id: Id,
  title: z.string(),
  docNumber: z.string().nullable(),
  sender: z.string(),
  tasks: z.number().int(),
  createdAt: TimestampMs,
})
export const PlanDraftIdInput = z.object({ draftId: Id })
export const PlanConfirmResult = z.object({ planId: Id, tasks: z.number().int(), unitsCreated: z.number().int() })

export const PlanSummary = z.object({
  id: Id,
  title: z.string(),
  issuer: z.string().nullable(),
  docNumber: z.string().nullable(),
  year: z.number().int(),
  tasks: z.number().int(),
  createdAt: TimestampMs,
})
export const PlanIdInput = z.object({ planId: Id })
export const SavedTask = z.object({
  id: Id,
  path: z.array(z.string()),
  number: z.string(),
  title: z.string(),
  section: z.string(),
  deadline: z.string().nullable(),
  recurring: z.string().nullable(),
  status: z.string(),
  units: z.object({ lead: z.array(z.string()), responsible: z.array(z.string()), cooperating: z.array(z.string()) }),
})

export const TaskIdInput = z.object({ taskId: Id })

/** 立项 by hand: outside any plan, into the year's 临时督办事项. */
export const ManualTaskInput = z
  .object({
    title: text(200),
    content: text(4000),
    basisKind: z.enum(BASIS_KINDS),
    /** What 自定义 means, or a note on the basis (领导批示 of whom). */
    basisText: optionalText(200),
    basisDoc: optionalText(100),
    basisDate: IsoDate.nullable(),
    supervisionType: z.enum(SUPERVISION_TYPES),
    urgency: z.enum(URGENCIES),
    leadUnitIds: z.array(Id).min(1, 'task.leadRequired').max(20),
    cooperatingUnitIds: z.array(Id).max(50),
    deadline: IsoDate,
    recurring: z.enum(RECURRENCES).nullable(),
  })
  .refine((t) => t.basisKind !== 'other' || !!t.basisText, { path: ['basisText'], message: 'task.basisTextRequired' })
export const TaskEditInput = z.object({
  taskId: Id,
  title: text(500),
  deadline: IsoDate.nullable(),
  units: z.object({ lead: z.array(Id).max(20), responsible: z.array(Id).max(50), cooperating: z.array(Id).max(50) }),
})
const UnitIds = z.object({ lead: z.array(Id).max(20), responsible: z.array(Id).max(50), cooperating: z.array(Id).max(50) })
export const TaskAddInput = z.object({
  planId: Id,
  parentId: Id.nullable(),
  number: z.string().trim().min(1, 'required').max(10, 'tooLong'),
  title: text(500),
  deadline: IsoDate.nullable(),
  units: UnitIds,
})
export const TaskSplitInput = z.object({ taskId: Id, title: text(500), taskUnitIds: z.array(Id).min(1, 'letter.noUnits').max(100) })
export const TaskEditResult = z.object({ added: z.number().int(), removed: z.number().int() })
/** Deleting says why: the reason goes into the audit log with the deletion. */
export const TaskDeleteInput = z.object({ taskId: Id, reason: text(500) })
export const PlanDeleteInput = z.object({ planId: Id, reason: text(500) })
export const DeletedCount = z.object({ tasks: z.number().int() })
export const PublishResult = z.object({ status: z.enum(['awaiting_publish', 'assigned']) })
export const UrgeInput = z.object({ taskUnitId: Id, text: text(1000) })
export const ContactInput = z.object({
  taskId: Id,
  taskUnitId: Id.nullable(),
  kind: z.enum(CONTACT_KINDS),
  heldOn: IsoDate,
  heldBy: text(200),
  counterpart: text(200),
  agreed: text(4000),
  nextCheck: IsoDate.nullable(),
})
const Score = z.number().int().min(0, 'evaluation.range').max(100, 'evaluation.range')
export const EvaluationInput = z.object({ quality: Score, efficiency: Score, satisfaction: Score, comment: optionalText(1000) })
/** Several tasks of a plan at once (a 工作要点 has a few dozen; 梧州's has 66). */
export const TaskIdsInput = z.object({ taskIds: z.array(Id).min(1).max(500) })
export const AssignManyResult = z.object({ assigned: z.number().int(), alreadyAssigned: z.number().int() })
export const TaskUnitInput = z.object({ taskUnitId: Id })
export const ProgressInput = z.object({ taskUnitId: Id, text: text(4000), percent: z.number().int().min(0).max(100) })
export const ExtensionInput = z.object({ taskUnitId: Id, reason: text(2000), newDeadline: IsoDate })
export const ExtensionDecision = z.object({ eventId: Id, decision: z.enum(['approved', 'refused']), comment: text(2000) })
export const SubmitInput = z.object({ taskUnitId: Id, text: text(4000) })
/** Approving several queued items at once: completions (no evaluation) and extension requests; the comment is optional. */
export const ReviewManyInput = z.object({
  items: z
    .array(z.object({ kind: z.enum(['completion', 'extension']), taskUnitId: Id }))
    .min(1)
    .max(200),
  comment: optionalText(2000),
})
export const ReviewManyResult = z.object({ completions: z.number().int(), extensions: z.number().int() })
export const ReviewInput = z.object({
  taskUnitId: Id,
  decision: z.enum(['approved', 'returned']),
  comment: text(2000),
  /** The 质量/效率/满意度 evaluation that goes with an approval. */
  evaluation: EvaluationInput.nullish().transform((v) => v ?? null),
})
const Light = z.enum(['green', 'yellow', 'red', 'done', 'none'])
export const TaskDetail = z.object({
  id: Id,
  planTitle: z.string(),
  path: z.array(z.string()),
  title: z.string(),
  section: z.string(),
  deadline: z.string().nullable(),
  recurring: z.string().nullable(),
  status: z.string(),
  source: z.string(),
  light: Light,
  basis: z
    .object({
      kind: z.string(),
      text: z.string().nullable(),
      doc: z.string().nullable(),
      date: z.string().nullable(),
      supervisionType: z.string().nullable(),
      urgency: z.string().nullable(),
    })
    .nullable(),
  /** Who asked for publication (a task set up by hand awaiting a second supervisor). */
  publishRequestedBy: z.string().nullable(),
  mayPublish: z.boolean(),
  units: z.array(
    z.object({
      id: Id,
      unitId: Id,
      unitName: z.string(),
      role: z.string(),
      status: z.string(),
      percent: z.number().int(),
      deadline: z.string().nullable(),
      light: Light,
      /** Letters this unit received on the task, lowest level first. */
      letters: z.array(z.object({ id: Id, level: z.enum(LETTER_LEVELS), docNumber: z.string(), replied: z.boolean() })),
      nextLetterLevel: z.enum(LETTER_LEVELS),
      evaluation: z.object({ quality: z.number(), efficiency: z.number(), satisfaction: z.number(), score: z.number() }).nullable(),
    }),
  ),
  events: z.array(
    z.object({
      attachments: z.array(z.object({ digest: z.string(), fileName: z.string(), mime: z.string() })),
      id: Id,
      kind: z.string(),
      unitName: z.string().nullable(),
      text: z.string().nullable(),
      percent: z.number().int().nullable(),
      newDeadline: z.string().nullable(),
      decision: z.string().nullable(),
      status: z.string(),
      actorName: z.string(),
      via: z.string().nullable(),
      at: TimestampMs,
    }),
  ),
})

export const DueItem = z.object({
  taskUnitId: Id,
  taskId: Id,
  path: z.array(z.string()),
  title: z.string(),
  unitId: Id,
  unitName: z.string(),
  role: z.string(),
  status: z.string(),
  percent: z.number().int(),
  deadline: z.string().nullable(),
  light: z.enum(['green', 'yellow', 'red', 'done', 'none']),
  overdueDays: z.number().int(),
  nextLetterLevel: z.enum(LETTER_LEVELS),
})
export const ReviewItem = z.object({
  kind: z.enum(['completion', 'extension', 'publish']),
  taskId: Id,
  taskUnitId: Id,
  path: z.array(z.string()),
  title: z.string(),
  unitName: z.string(),
  text: z.string().nullable(),
  deadline: z.string().nullable(),
  newDeadline: z.string().nullable(),
  byName: z.string(),
  since: TimestampMs,
})
export const IssueLetterInput = z.object({
  taskId: Id,
  level: z.enum(LETTER_LEVELS).default('letter'),
  taskUnitIds: z.array(Id).min(1, 'letter.noUnits'),
  newDeadline: IsoDate,
  note: optionalText(1000),
})
export const LetterIdInput = z.object({ letterId: Id })
export const Letter = z.object({
  id: Id,
  level: z.enum(LETTER_LEVELS),
  levelName: z.string(),
  colour: z.enum(['blue', 'yellow', 'red']),
  docNumber: z.string(),
  taskId: Id,
  unitNames: z.array(z.string()),
  newDeadline: z.string(),
  body: z.string(),
  issuer: z.string(),
  createdByName: z.string(),
  createdAt: TimestampMs,
})

export const LETTER_STATES = ['awaiting', 'replied', 'overdue'] as const
export const LetterRegisterQuery = z.object({
  level: z
    .enum(LETTER_LEVELS)
    .nullish()
    .transform((v) => v ?? null),
  state: z
    .enum(LETTER_STATES)
    .nullish()
    .transform((v) => v ?? null),
  unitId: Id.nullish().transform((v) => v ?? null),
  year: z
    .number()
    .int()
    .min(2000)
    .max(2100)
    .nullish()
    .transform((v) => v ?? null),
})
export const LetterRegisterRow = z.object({
  recipientId: Id,
  letterId: Id,
  level: z.enum(LETTER_LEVELS),
  levelName: z.string(),
  docNumber: z.string(),
  taskId: Id,
  taskTitle: z.string(),
  path: z.array(z.string()),
  unitId: Id,
  unitName: z.string(),
  issuedAt: TimestampMs,
  replyDue: z.string(),
  state: z.enum(LETTER_STATES),
  repliedAt: TimestampMs.nullable(),
  replyEventId: Id.nullable(),
})
export const LetterReplyInput = z.object({ recipientId: Id, text: text(4000) })

export const LedgerQuery = z.object({
  planId: Id.nullish().transform((v) => v ?? null),
  unitId: Id.nullish().transform((v) => v ?? null),
  status: z
    .enum(UNIT_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
  light: z
    .enum(['green', 'yellow', 'red', 'done', 'none'])
    .nullish()
    .transform((v) => v ?? null),
})
export const LedgerRow = z.object({
  taskUnitId: Id,
  taskId: Id,
  planTitle: z.string(),
  section: z.string(),
  path: z.array(z.string()),
  title: z.string(),
  unitId: Id,
  unitName: z.string(),
  role: z.string(),
  deadline: z.string().nullable(),
  status: z.enum(UNIT_STATUSES),
  light: z.enum(['green', 'yellow', 'red', 'done', 'none']),
  percent: z.number().int(),
  lastProgress: z.string().nullable(),
  lastProgressAt: TimestampMs.nullable(),
  letters: z.array(z.string()),
  evaluation: z.number().nullable(),
})
export const FeedbackFormInput = z.object({ unitId: Id })
export const FeedbackImportIssue = z.object({ row: z.number().int(), taskId: z.string().nullable(), reason: z.string() })
export const FeedbackImportResult = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  dryRun: z.boolean(),
  rows: z.number().int(),
  progress: z.number().int(),
  completions: z.number().int(),
  skipped: z.number().int(),
  issues: z.array(FeedbackImportIssue),
})

export const StatsInput = z.object({ planId: Id.nullish().transform((v) => v ?? null) })
export const SupervisionStats = z.object({
  weights: z.object({ onTime: z.number(), evaluation: z.number(), perReturn: z.number(), perOverdue: z.number() }),
  byUnit: z.array(
    z.object({
      unitName: z.string(),
      total: z.number().int(),
      done: z.number().int(),
      completionRate: z.number(),
      onTimeRate: z.number(),
      overdue: z.number().int(),
      returns: z.number().int(),
      /** Items done or past their deadline: what the score is about. */
      due: z.number().int(),
      /** Average evaluation (0–100) of the unit's evaluated items, null when none was evaluated. */
      evaluation: z.number().nullable(),
      letters: z.number().int(),
      contacts: z.number().int(),
      /** Null when nothing was due yet (暂无应办结事项): such a unit is not ranked. */
      score: z.number().nullable(),
    }),
  ),
  contacts: z.object({ meeting: z.number().int(), phone: z.number().int(), onsite: z.number().int(), urge: z.number().int() }),
  /** How the score is computed, as the 通报 prints it. */
  method: z.string(),
  bySection: z.array(z.object({ section: z.string(), total: z.number().int(), done: z.number().int(), completionRate: z.number() })),
  overdueRanking: z.array(z.object({ unitName: z.string(), overdue: z.number().int() })),
  trend: z.array(z.object({ month: z.string(), completed: z.number().int() })),
})

export const EventIdInput = z.object({ eventId: Id })
export const EventAttachmentInput = z.object({ eventId: Id, digest: z.string().regex(/^[0-9a-f]{64}$/, 'invalid') })

const Weight = z.number().min(0, 'settings.weightRange').max(100, 'settings.weightRange')
const Prefix = z
  .string()
  .trim()
  .min(1, 'settings.prefixRequired')
  .max(10, 'settings.prefixRequired')
  .regex(/^[\u4e00-\u9fa5A-Za-z]+$/, 'settings.prefixChars')
export const SupervisionSettings = z.object({
  yellowWorkingDays: z.number().int().min(1, 'settings.yellowRange').max(30, 'settings.yellowRange'),
  lagMarginPercent: z.number().int().min(5, 'settings.lagRange').max(100, 'settings.lagRange'),
  weights: z.object({ onTime: Weight, evaluation: Weight, perReturn: Weight, perOverdue: Weight }),
  evaluationWeights: z
    .object({ quality: Weight, efficiency: Weight, satisfaction: Weight })
    .refine((w) => w.quality + w.efficiency + w.satisfaction === 100, { message: 'settings.evaluationSum' }),
  letterLevels: z
    .array(z.object({ level: z.enum(LETTER_LEVELS), name: text(10), prefix: Prefix }))
    .length(3)
    .refine((l) => new Set(l.map((x) => x.level)).size === 3, { message: 'settings.levelsDistinct' })
    .refine((l) => new Set(l.map((x) => x.prefix)).size === 3, { message: 'settings.prefixesDistinct' }),
  publishReview: z.boolean(),
})
