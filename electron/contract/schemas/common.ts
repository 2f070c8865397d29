import { z } from 'zod'

// Message keys, not text: the renderer and the CLI turn them into Chinese (contract/messages.zh-CN.ts).
export const M = {
  required: 'required',
  tooLong: 'tooLong',
  invalid: 'invalid',
} as const

export const Empty = z.object({}).strict()
export type Empty = z.infer<typeof Empty>

/** Trimmed non-empty text with a maximum length. */
export function text(max: number) {
  return z.string().trim().min(1, M.required).max(max, M.tooLong)
}

/** Trimmed optional text; an empty string becomes null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max, M.tooLong)
    .nullish()
    .transform((v) => (v ? v : null))
}

export const Id = z.number().int().positive()
export const TimestampMs = z.number().int().nonnegative()

export const PageQuery = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
})

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int().nonnegative() })
}

export const IdResult = z.object({ id: Id })
export const Ok = z.object({ ok: z.literal(true) })
