import { z } from 'zod'
import { Id, PageQuery, TimestampMs, optionalText, pageOf, text } from './common'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date.format')

export const PERSON_STATUSES = ['serving', 'transferred', 'retired', 'deceased'] as const
export const ENTRY_KINDS = [
  'personal_report',
  'integrity',
  'assessment',
  'award',
  'violation',
  'accountability',
  'commitment',
  'repair',
] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]
export const GRADES = ['trustworthy', 'basically_trustworthy', 'dishonest', 'seriously_dishonest'] as const
export type Grade = (typeof GRADES)[number]

/** The results an entry of each kind may carry (codes; Chinese labels in labels.zh-CN.ts). */
export const ENTRY_RESULTS: Record<EntryKind, readonly string[]> = {
  personal_report: ['truthful', 'omitted', 'concealed'],
  integrity: [],
  assessment: ['excellent', 'competent', 'basically_competent', 'incompetent', 'ungraded'],
  award: [],
  violation: ['warning', 'demerit', 'major_demerit', 'demotion', 'removal', 'dismissal'],
  accountability: [],
  commitment: [],
  repair: [],
}

const PersonFields = {
  name: text(50),
  idNumber: z.string().trim().min(1, 'required').max(30, 'tooLong'),
  unitId: Id,
  post: optionalText(100),
  rank: optionalText(50),
  politicalStatus: optionalText(20),
  entryDate: IsoDate,
  status: z.enum(PERSON_STATUSES).default('serving'),
  statusDate: IsoDate.nullish().transform((v) => v ?? null),
  userId: Id.nullish().transform((v) => v ?? null),
}
export const NewPerson = z.object(PersonFields)
export type NewPerson = z.output<typeof NewPerson>
/** The ID number is the person: it is never changed, only the rest. */
export const PersonUpdate = z.object({ id: Id, ...PersonFields, idNumber: z.undefined().optional() })
export type PersonUpdate = z.output<typeof PersonUpdate>

export const PersonQuery = PageQuery.extend({
  /** A name (beginning) or a complete 身份证号 (matched exactly through its blind index). */
  keyword: optionalText(50),
  unitId: Id.nullish().transform((v) => v ?? null),
  grade: z
    .enum(GRADES)
    .nullish()
    .transform((v) => v ?? null),
  entryKind: z
    .enum(ENTRY_KINDS)
    .nullish()
    .transform((v) => v ?? null),
  year: z
    .number()
    .int()
    .min(1950)
    .max(2100)
    .nullish()
    .transform((v) => v ?? null),
  status: z
    .enum(PERSON_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
})
export type PersonQuery = z.output<typeof PersonQuery>

export const PersonSummary = z.object({
  id: Id,
  name: z.string(),
  idMasked: z.string(),
  sex: z.enum(['M', 'F']),
  /** Only while the caller holds a grant: beside the masked number it would give the whole number back. */
  birthDate: z.string().nullable(),
  unitId: Id,
  unitName: z.string(),
  post: z.string().nullable(),
  rank: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  entryDate: z.string(),
  status: z.enum(PERSON_STATUSES),
  statusDate: z.string().nullable(),
  userId: Id.nullable(),
  grade: z.enum(GRADES),
  gradeSource: z.enum(['rules', 'override']),
  /** The caller's access to the full archive: granted until this time, or why not. */
  access: z.object({
    grantedUntil: TimestampMs.nullable(),
    pending: z.boolean(),
    refused: z.enum(['self', 'recused']).nullable(),
  }),
})
export type PersonSummary = z.infer<typeof PersonSummary>
export const PersonPage = pageOf(PersonSummary)

export const EntryInput = z.object({
  personId: Id,
  kind: z.enum(ENTRY_KINDS),
  year: z
    .number()
    .int()
    .min(1950)
    .max(2100)
    .nullish()
    .transform((v) => v ?? null),
  result: optionalText(40),
  title: text(200),
  docNumber: optionalText(100),
  docDate: IsoDate,
  issuer: text(100),
  details: optionalText(4000),
  effectUntil: IsoDate.nullish().transform((v) => v ?? null),
})
export type EntryInput = z.output<typeof EntryInput>

const Attachment = z.object({ digest: z.string(), fileName: z.string(), size: z.number().int(), mime: z.string() })
export const ArchiveEntry = z.object({
  id: Id,
  kind: z.enum(ENTRY_KINDS),
  year: z.number().int().nullable(),
  result: z.string().nullable(),
  title: z.string(),
  docNumber: z.string().nullable(),
  docDate: z.string(),
  issuer: z.string(),
  details: z.string().nullable(),
  effectUntil: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: TimestampMs,
  attachments: z.array(Attachment),
})
export type ArchiveEntry = z.infer<typeof ArchiveEntry>

const GradeChange = z.object({
  grade: z.enum(GRADES),
  source: z.enum(['rules', 'override']),
  reasons: z.array(z.string()),
  decidedByName: z.string().nullable(),
  at: TimestampMs,
})

/** The full archive: only with an approved, unexpired access grant. */
export const Archive = z.object({
  person: PersonSummary,
  entries: z.array(ArchiveEntry),
  gradeReasons: z.array(z.string()),
  gradeHistory: z.array(GradeChange),
  grantedUntil: TimestampMs,
})
export type Archive = z.infer<typeof Archive>

export const PersonIdInput = z.object({ personId: Id })
export const AccessRequestInput = z.object({ personId: Id, reason: text(500), days: z.number().int().min(1).max(30) })
const AccessRequest = z.object({
  id: Id,
  personId: Id,
  personName: z.string(),
  unitName: z.string(),
  requesterName: z.string(),
  reason: z.string(),
  days: z.number().int(),
  status: z.enum(['pending', 'approved', 'rejected']),
  approverName: z.string().nullable(),
  decisionComment: z.string().nullable(),
  validUntil: TimestampMs.nullable(),
  createdAt: TimestampMs,
})
export const AccessRequestQuery = PageQuery.extend({
  status: z
    .enum(['pending', 'approved', 'rejected'])
    .nullish()
    .transform((v) => v ?? null),
  mine: z.boolean().default(false),
})
export const AccessRequestPage = pageOf(AccessRequest)
export const DecideAccessInput = z.object({ id: Id, decision: z.enum(['approved', 'rejected']), comment: text(500) })
export const GradeOverrideInput = z.object({ personId: Id, grade: z.enum(GRADES), reason: text(500) })
export const RevealResult = z.object({ idNumber: z.string() })
export const AttachInput = z.object({ entryId: Id })
export const RecusalInput = z.object({ userId: Id, personId: Id, reason: text(200) })

export const GradeRule = z.object({
  id: Id.nullish(),
  name: text(100),
  entryKind: z.enum(ENTRY_KINDS),
  results: z.array(z.string().max(40)).nullable(),
  withinMonths: z.number().int().min(1).max(240),
  grade: z.enum(GRADES),
  enabled: z.boolean(),
})
export type GradeRule = z.output<typeof GradeRule>
export const PeopleImportResult = z.object({
  cancelled: z.boolean(),
  fileName: z.string().nullable(),
  rows: z.number().int(),
  imported: z.number().int(),
  issues: z.array(z.object({ row: z.number().int(), column: z.string(), columnName: z.string(), reason: z.string() })),
})

export const AssessmentImportInput = z.object({
  year: z.number().int().min(1950).max(2100),
  docNumber: optionalText(100),
  docDate: IsoDate,
  issuer: text(100),
})

export const AttachmentInput = z.object({ personId: Id, digest: z.string().regex(/^[0-9a-f]{64}$/, 'invalid') })
export const AttachmentContent = z.object({ fileName: z.string(), mime: z.string(), base64: z.string() })
