import { z } from 'zod'
import { Id, PageQuery, TimestampMs, optionalText, pageOf, text } from './common'

export const CatalogStatus = {
  Draft: 'draft',
  Submitted: 'submitted',
  Approved: 'approved',
  Superseded: 'superseded',
  Retired: 'retired',
} as const
export type CatalogStatus = (typeof CatalogStatus)[keyof typeof CatalogStatus]
export const CATALOG_STATUSES = Object.values(CatalogStatus) as [CatalogStatus, ...CatalogStatus[]]

export const FIELD_TYPES = ['text', 'integer', 'decimal', 'date', 'uscc', 'idcard', 'dict'] as const
export type FieldType = (typeof FIELD_TYPES)[number]
/** Named checks a data item may carry beyond its type (see core/catalog/catalog.ts). */
export const CHECK_RULES = ['decision_date', 'document_number', 'subject_code', 'money_wan', 'not_future'] as const
const INFO_CLASSES = ['basic', 'good', 'bad'] as const
export type InfoClass = (typeof INFO_CLASSES)[number]
const DISHONESTY_LEVELS = ['minor', 'general', 'serious'] as const
export type DishonestyLevel = (typeof DISHONESTY_LEVELS)[number]

/** A data item that holds a personal identifier (证件号码, 身份证号): sensitive unless the editor says otherwise. */
export function isIdLikeField(f: { code: string; name: string; type: string }): boolean {
  return f.type === 'idcard' || /ZJHM$/.test(f.code) || /证件号|身份证/.test(f.name)
}

export const CatalogField = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'field.code'),
    name: text(100),
    type: z.enum(FIELD_TYPES),
    maxLength: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .nullish()
      .transform((v) => v ?? null),
    required: z.boolean(),
    dictTypeCode: optionalText(40),
    checkRule: optionalText(60),
    /** Sealed at rest and masked on screen. Always on for idcard fields; defaults to on for ID-like items. */
    sensitive: z.boolean().optional(),
  })
  .transform((f) => ({ ...f, sensitive: f.type === 'idcard' || (f.sensitive ?? isIdLikeField(f)) }))
export type CatalogField = z.infer<typeof CatalogField>

const ItemFields = {
  code: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'catalog.code'),
  categoryCode: text(10),
  name: text(100),
  infoClass: z.enum(INFO_CLASSES),
  dishonestyLevel: z
    .enum(DISHONESTY_LEVELS)
    .nullish()
    .transform((v) => v ?? null),
  subjectTypes: z.array(text(40)).min(1, 'catalog.subjectTypes'),
  supplierUnitId: Id.nullish().transform((v) => v ?? null),
  disclosure: text(40),
  updateFrequency: text(40),
  collectionMethod: text(40),
  legalBasis: optionalText(2000),
  source: text(40),
  disclosureMonths: z
    .number()
    .int()
    .min(0)
    .max(600)
    .nullish()
    .transform((v) => v ?? null),
  retentionYears: z
    .number()
    .int()
    .min(0)
    .max(100)
    .nullish()
    .transform((v) => v ?? null),
}

/** Saves a draft: without id a new item (version 1); with id, an existing draft of it. */
export const SaveDraftInput = z.object({ id: Id.nullish(), ...ItemFields, fields: z.array(CatalogField).min(1, 'catalog.fields') })
export type SaveDraftInput = z.infer<typeof SaveDraftInput>

export const CatalogSummary = z.object({
  id: Id,
  code: z.string(),
  version: z.number().int(),
  status: z.enum(CATALOG_STATUSES),
  categoryCode: z.string(),
  categoryName: z.string(),
  name: z.string(),
  infoClass: z.enum(INFO_CLASSES),
  dishonestyLevel: z.enum(DISHONESTY_LEVELS).nullable(),
  source: z.string(),
  supplierUnitName: z.string().nullable(),
  fieldCount: z.number().int(),
  updatedAt: TimestampMs,
})
export type CatalogSummary = z.infer<typeof CatalogSummary>

export const CatalogItem = CatalogSummary.extend({
  subjectTypes: z.array(z.string()),
  supplierUnitId: Id.nullable(),
  disclosure: z.string(),
  updateFrequency: z.string(),
  collectionMethod: z.string(),
  legalBasis: z.string().nullable(),
  disclosureMonths: z.number().int().nullable(),
  retentionYears: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: TimestampMs.nullable(),
  reviewComment: z.string().nullable(),
  fields: z.array(CatalogField),
})
export type CatalogItem = z.infer<typeof CatalogItem>

export const CatalogQuery = PageQuery.extend({
  keyword: optionalText(50),
  status: z.enum(CATALOG_STATUSES).nullish(),
  categoryCode: optionalText(10),
  infoClass: z.enum(INFO_CLASSES).nullish(),
  /** Hide superseded versions (the default list shows each item's live versions). */
  currentOnly: z.boolean().default(true),
})
export type CatalogQuery = z.infer<typeof CatalogQuery>
export const CatalogPage = pageOf(CatalogSummary)

export const CatalogCategory = z.object({ code: z.string(), name: z.string(), parentCode: z.string().nullable() })
export const ItemIdInput = z.object({ id: Id })
export const ReviewInput = z.object({ id: Id, decision: z.enum(['approve', 'return']), comment: optionalText(500) })
export const VersionsInput = z.object({ code: z.string().trim().min(1).max(40) })

export const CatalogChange = z.object({
  /** An item attribute ('name', 'disclosure', …) or a data item as 'field:XK_WSH'. */
  key: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  before: z.string().nullable(),
  after: z.string().nullable(),
})
export type CatalogChange = z.infer<typeof CatalogChange>
export const CompareInput = z.object({ fromId: Id, toId: Id })
export const CompareResult = z.object({ from: CatalogItem, to: CatalogItem, changes: z.array(CatalogChange) })
