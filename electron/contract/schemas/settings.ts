import { z } from 'zod'
import { M, text } from './common'

export const Settings = z.object({
  orgName: z.string(),
  regionCode: z.string(),
  orgCreditCode: z.string(),
  idleLockMinutes: z.number().int(),
})
export type Settings = z.infer<typeof Settings>

export const SettingsUpdate = z.object({
  orgName: text(100),
  regionCode: z.string().trim().min(1, M.required),
  orgCreditCode: z.string().trim().min(1, M.required),
  idleLockMinutes: z.number().int().min(1, 'idle.range').max(120, 'idle.range'),
})
export type SettingsUpdate = z.infer<typeof SettingsUpdate>
