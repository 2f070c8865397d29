// What a supervisor tunes: when a light turns yellow (working days before the deadline), the 目标考核 weights, and the
// 督办函 文号 prefix. Each setting's key and default are here and nowhere else; the services read them through here.
import type { Knex } from 'knex'

export interface ScoreWeights {
  /** Points for a 100% on-time rate. */
  onTime: number
  perReturn: number
  perOverdue: number
}

export interface SupervisionSettings {
  yellowWorkingDays: number
  weights: ScoreWeights
  letterPrefix: string
}

const KEYS = { yellowWorkingDays: 'task_yellow_working_days', weights: 'score_weights', letterPrefix: 'letter_prefix' } as const

const DEFAULT_WEIGHTS: ScoreWeights = { onTime: 100, perReturn: 2, perOverdue: 5 }
const DEFAULT_SUPERVISION_SETTINGS: SupervisionSettings = { yellowWorkingDays: 5, weights: DEFAULT_WEIGHTS, letterPrefix: '信用督' }

async function stored(db: Knex, key: string): Promise<string | undefined> {
  const row = await db('settings').where('key', key).first<{ value: string } | undefined>('value')
  return row?.value
}

/** A task unit's light turns yellow this many working days before its deadline. */
export async function yellowWorkingDays(db: Knex): Promise<number> {
  const value = await stored(db, KEYS.yellowWorkingDays)
  return value === undefined ? DEFAULT_SUPERVISION_SETTINGS.yellowWorkingDays : Number(value)
}

export async function scoreWeights(db: Knex): Promise<ScoreWeights> {
  const raw = await stored(db, KEYS.weights)
  return raw ? { ...DEFAULT_WEIGHTS, ...(JSON.parse(raw) as Partial<ScoreWeights>) } : DEFAULT_WEIGHTS
}

/** The 文号 prefix of 督办函 (信用督〔2026〕3号). */
export async function letterPrefix(db: Knex): Promise<string> {
  return (await stored(db, KEYS.letterPrefix)) ?? DEFAULT_SUPERVISION_SETTINGS.letterPrefix
}

export async function getSupervisionSettings(db: Knex): Promise<SupervisionSettings> {
  return { yellowWorkingDays: await yellowWorkingDays(db), weights: await scoreWeights(db), letterPrefix: await letterPrefix(db) }
}

export async function saveSupervisionSettings(db: Knex, input: SupervisionSettings): Promise<void> {
  const rows = [
    { key: KEYS.yellowWorkingDays, value: String(input.yellowWorkingDays) },
    { key: KEYS.weights, value: JSON.stringify({ ...DEFAULT_WEIGHTS, ...input.weights }) },
    { key: KEYS.letterPrefix, value: input.letterPrefix },
  ]
  await db.transaction(async (trx) => {
    for (const row of rows) await trx('settings').insert(row).onConflict('key').merge()
  })
}
