// What a supervisor tunes: when a light turns yellow (working days before the deadline), the 目标考核 weights, and the
// 督办函 文号 prefix. Stored in settings; read where they are used.
import type { Knex } from 'knex'
import { DEFAULT_WEIGHTS, scoreWeights, type ScoreWeights } from './statistics'

export interface SupervisionSettings {
  yellowWorkingDays: number
  weights: ScoreWeights
  letterPrefix: string
}

export async function getSupervisionSettings(db: Knex): Promise<SupervisionSettings> {
  const value = async (key: string) => (await db('settings').where('key', key).first('value'))?.value as string | undefined
  return {
    yellowWorkingDays: Number((await value('task_yellow_working_days')) ?? 5),
    weights: await scoreWeights(db),
    letterPrefix: (await value('letter_prefix')) ?? '信用督',
  }
}

export async function saveSupervisionSettings(db: Knex, input: SupervisionSettings): Promise<void> {
  const rows = [
    { key: 'task_yellow_working_days', value: String(input.yellowWorkingDays) },
    { key: 'score_weights', value: JSON.stringify({ ...DEFAULT_WEIGHTS, ...input.weights }) },
    { key: 'letter_prefix', value: input.letterPrefix },
  ]
  await db.transaction(async (trx) => {
    for (const row of rows) await trx('settings').insert(row).onConflict('key').merge()
  })
}
