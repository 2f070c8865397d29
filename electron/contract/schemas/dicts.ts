import { z } from 'zod'
import { Id, optionalText, text } from './common'

export const DictType = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  isSystem: z.boolean(),
  itemCount: z.number().int(),
})
export type DictType = z.infer<typeof DictType>

export const DictItem = z.object({
  id: Id,
  value: z.string(),
  label: z.string(),
  sortOrder: z.number().int(),
  enabled: z.boolean(),
  aliases: z.array(z.string()),
})
export type DictItem = z.infer<typeof DictItem>

const DictCode = z
  .string()
  .trim()
  .min(2, 'dict.code')
  .max(40, 'dict.code')
  .regex(/^[a-z][a-z0-9_]*$/, 'dict.code')

export const NewDictType = z.object({ code: DictCode, name: text(50), description: optionalText(200) })
export const DictItemsInput = z.object({ typeCode: DictCode })
export const SaveDictItem = z.object({
  typeCode: DictCode,
  id: Id.nullish(),
  value: text(40),
  label: text(100),
  sortOrder: z.number().int().min(0).max(99999).default(0),
  enabled: z.boolean().default(true),
  /** Other spellings departments write for this entry (法人及非法人组织 for 法人和非法人组织). */
  aliases: z.array(text(100)).max(20, 'dict.tooManyAliases').default([]),
})
export type SaveDictItem = z.infer<typeof SaveDictItem>
