import { z } from 'zod'
import { Id, TimestampMs, optionalText, text } from './common'

/** Where one unit stands on a task: pending → assigned → signed → in_progress → submitted → done (or returned). */
export const UNIT_STATUSES = ['pending', 'assigned', 'signed', 'in_progress', 'submitted', 'returned', 'done'] as const
export type UnitStatus = (typeof UNIT_STATUSES)[number]

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
  how: z.enum(['exact', 'alias', 'normalised']).nullable(),
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
  resolutions: z.array(z.object({ name: text(100), unitId: Id.nullable(), create: z.boolean() })).max(2000),
})
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
/** Several tasks of a plan at once (a 工作要点 has a few dozen; 梧州's has 66). */
export const TaskIdsInput = z.object({ taskIds: z.array(Id).min(1).max(500) })
export const AssignManyResult = z.object({ assigned: z.number().int(), alreadyAssigned: z.number().int() })
export const TaskUnitInput = z.object({ taskUnitId: Id })
export const ProgressInput = z.object({ taskUnitId: Id, text: text(4000), percent: z.number().int().min(0).max(100) })
export const ExtensionInput = z.object({ taskUnitId: Id, reason: text(2000), newDeadline: IsoDate })
export const ExtensionDecision = z.object({ eventId: Id, decision: z.enum(['approved', 'refused']), comment: text(2000) })
export const SubmitInput = z.object({ taskUnitId: Id, text: text(4000) })
export const ReviewInput = z.object({ taskUnitId: Id, decision: z.enum(['approved', 'returned']), comment: text(2000) })
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
  units: z.array(
    z.object({
      id: Id,
      unitName: z.string(),
      role: z.string(),
      status: z.string(),
      percent: z.number().int(),
      deadline: z.string().nullable(),
      light: Light,
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
})
export const ReviewItem = z.object({
  kind: z.enum(['completion', 'extension']),
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
  taskUnitIds: z.array(Id).min(1, 'letter.noUnits'),
  newDeadline: IsoDate,
  note: optionalText(1000),
})
export const LetterIdInput = z.object({ letterId: Id })
export const Letter = z.object({
  id: Id,
  docNumber: z.string(),
  taskId: Id,
  unitNames: z.array(z.string()),
  newDeadline: z.string(),
  body: z.string(),
  issuer: z.string(),
  createdByName: z.string(),
  createdAt: TimestampMs,
})

export const StatsInput = z.object({ planId: Id.nullish().transform((v) => v ?? null) })
export const SupervisionStats = z.object({
  weights: z.object({ onTime: z.number(), perReturn: z.number(), perOverdue: z.number() }),
  byUnit: z.array(
    z.object({
      unitName: z.string(),
      total: z.number().int(),
      done: z.number().int(),
      completionRate: z.number(),
      onTimeRate: z.number(),
      overdue: z.number().int(),
      returns: z.number().int(),
      score: z.number(),
    }),
  ),
  bySection: z.array(z.object({ section: z.string(), total: z.number().int(), done: z.number().int(), completionRate: z.number() })),
  overdueRanking: z.array(z.object({ unitName: z.string(), overdue: z.number().int() })),
  trend: z.array(z.object({ month: z.string(), completed: z.number().int() })),
})

export const EventIdInput = z.object({ eventId: Id })
export const EventAttachmentInput = z.object({ eventId: Id, digest: z.string().regex(/^[0-9a-f]{64}$/, 'invalid') })

export const SupervisionSettings = z.object({
  yellowWorkingDays: z.number().int().min(1, 'settings.yellowRange').max(30, 'settings.yellowRange'),
  weights: z.object({
    onTime: z.number().min(0, 'settings.weightRange').max(100, 'settings.weightRange'),
    perReturn: z.number().min(0, 'settings.weightRange').max(100, 'settings.weightRange'),
    perOverdue: z.number().min(0, 'settings.weightRange').max(100, 'settings.weightRange'),
  }),
  letterPrefix: z
    .string()
    .trim()
    .min(1, 'settings.prefixRequired')
    .max(10, 'settings.prefixRequired')
    .regex(/^[\u4e00-\u9fa5A-Za-z]+$/, 'settings.prefixChars'),
})
