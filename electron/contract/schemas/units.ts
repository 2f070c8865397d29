import { z } from 'zod'
import { Id, optionalText, text } from './common'

export const UnitKind = { CountyDept: 'county_dept', Township: 'township', Other: 'other' } as const
export type UnitKind = (typeof UnitKind)[keyof typeof UnitKind]
export const UNIT_KINDS = Object.values(UnitKind) as [UnitKind, ...UnitKind[]]

export const Unit = z.object({
  id: Id,
  uid: z.string(),
  parentId: Id.nullable(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  creditCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  sortOrder: z.number().int(),
  enabled: z.boolean(),
})
export type Unit = z.infer<typeof Unit>
export const UnitList = z.object({ units: z.array(Unit) })

const UnitFields = {
  parentId: Id.nullish().transform((v) => v ?? null),
  name: text(100),
  kind: z.enum(UNIT_KINDS),
  creditCode: optionalText(30),
  regionCode: optionalText(12),
  sortOrder: z.number().int().min(0).max(99999).default(0),
}
export const NewUnit = z.object(UnitFields)
export type NewUnit = z.infer<typeof NewUnit>
export const UnitUpdate = z.object({ ...UnitFields, id: Id, enabled: z.boolean() })
export type UnitUpdate = z.infer<typeof UnitUpdate>
export const UnitIdInput = z.object({ id: Id })
