// What a supervisor tunes: when a light turns yellow (working days before the deadline, or progress lagging the time
// elapsed by more than a margin), the 目标考核 weights and how an evaluation is weighed, the three letter levels (name
// and 文号 prefix), and whether a task set up by hand needs a second supervisor to publish it. Each setting's key and
// default are here and nowhere else; the services read them through here.
import type { Knex } from 'knex'
import { LETTER_LEVELS, type LetterLevel } from '../../contract/schemas/supervision'

export interface ScoreWeights {
  /** Points for a 100% on-time rate. */
  onTime: number
  /** Points for a 100-point average evaluation (质量/效率/满意度). */
  evaluation: number
  perReturn: number
  perOverdue: number
}

export interface EvaluationWeights {
  quality: number
  efficiency: number
  satisfaction: number
}

export interface LetterLevelSetting {
  level: LetterLevel
  name: string
  prefix: string
}

export interface SupervisionSettings {
  yellowWorkingDays: number
  /** Yellow also when the time elapsed (%) exceeds the reported progress (%) by more than this. */
  lagMarginPercent: number
  weights: ScoreWeights
  evaluationWeights: EvaluationWeights
  letterLevels: LetterLevelSetting[]
  /** A task set up by hand is published only after a second supervisor's 审核. */
  publishReview: boolean
}

const KEYS = {
  yellowWorkingDays: 'task_yellow_working_days',
  lagMarginPercent: 'task_lag_margin_percent',
  weights: 'score_weights',
  evaluationWeights: 'evaluation_weights',
  letterPrefix: 'letter_prefix',
  letterLevels: 'letter_levels',
  publishReview: 'task_publish_review',
} as const

const DEFAULT_WEIGHTS: ScoreWeights = { onTime: 70, evaluation: 30, perReturn: 2, perOverdue: 5 }
const DEFAULT_EVALUATION_WEIGHTS: EvaluationWeights = { quality: 50, efficiency: 30, satisfaction: 20 }
/** 三色督办单: 提醒函 blue, 督办函 yellow, 通报 red. */
export const LETTER_COLOURS: Record<LetterLevel, 'blue' | 'yellow' | 'red'> = { reminder: 'blue', letter: 'yellow', notice: 'red' }
/** Letters escalate: the next one to a unit is one level above the highest it received on the task (通报 stays 通报). */
export function levelAfter(received: LetterLevel[]): LetterLevel {
  const highest = Math.max(-1, ...received.map((l) => LETTER_LEVELS.indexOf(l)))
  return LETTER_LEVELS[Math.min(highest + 1, LETTER_LEVELS.length - 1)]!
}

const DEFAULT_LEVELS: LetterLevelSetting[] = [
  { level: 'reminder', name: '提醒函', prefix: '信用提' },
  { level: 'letter', name: '督办函', prefix: '信用督' },
  { level: 'notice', name: '通报', prefix: '信用通' },
]
const DEFAULTS = { yellowWorkingDays: 5, lagMarginPercent: 30, publishReview: true }

async function stored(db: Knex, key: string): Promise<string | undefined> {
  const row = await db('settings').where('key', key).first<{ value: string } | undefined>('value')
  return row?.value
}

/** A task unit's light turns yellow this many working days before its deadline. */
export async function yellowWorkingDays(db: Knex): Promise<number> {
  const value = await stored(db, KEYS.yellowWorkingDays)
  return value === undefined ? DEFAULTS.yellowWorkingDays : Number(value)
}

export async function lagMarginPercent(db: Knex): Promise<number> {
  const value = await stored(db, KEYS.lagMarginPercent)
  return value === undefined ? DEFAULTS.lagMarginPercent : Number(value)
}

/** What turns a light yellow, read once for a list. */
export async function lightRules(db: Knex): Promise<{ yellowDays: number; lagMargin: number }> {
  return { yellowDays: await yellowWorkingDays(db), lagMargin: await lagMarginPercent(db) }
}

export async function scoreWeights(db: Knex): Promise<ScoreWeights> {
  const raw = await stored(db, KEYS.weights)
  const saved: Partial<ScoreWeights> = raw ? JSON.parse(raw) : {}
  return { ...DEFAULT_WEIGHTS, ...saved }
}

export async function evaluationWeights(db: Knex): Promise<EvaluationWeights> {
  const raw = await stored(db, KEYS.evaluationWeights)
  const saved: Partial<EvaluationWeights> = raw ? JSON.parse(raw) : {}
  return { ...DEFAULT_EVALUATION_WEIGHTS, ...saved }
}

/** The three levels, lowest first, with the office's names and 文号 prefixes (信用督〔2026〕3号). */
export async function letterLevels(db: Knex): Promise<LetterLevelSetting[]> {
  const raw = await stored(db, KEYS.letterLevels)
  const saved: LetterLevelSetting[] = raw ? JSON.parse(raw) : []
  // Before the levels existed the office kept one prefix, for 督办函.
  const oldPrefix = await stored(db, KEYS.letterPrefix)
  return LETTER_LEVELS.map((level) => {
    const base = DEFAULT_LEVELS.find((l) => l.level === level)!
    const mine = saved.find((l) => l.level === level)
    return mine ?? (level === 'letter' && oldPrefix ? { ...base, prefix: oldPrefix } : base)
  })
}

export async function publishReview(db: Knex): Promise<boolean> {
  const value = await stored(db, KEYS.publishReview)
  return value === undefined ? DEFAULTS.publishReview : value === '1'
}

export async function getSupervisionSettings(db: Knex): Promise<SupervisionSettings> {
  return {
    yellowWorkingDays: await yellowWorkingDays(db),
    lagMarginPercent: await lagMarginPercent(db),
    weights: await scoreWeights(db),
    evaluationWeights: await evaluationWeights(db),
    letterLevels: await letterLevels(db),
    publishReview: await publishReview(db),
  }
}

export async function saveSupervisionSettings(db: Knex, input: SupervisionSettings): Promise<void> {
  const levels = LETTER_LEVELS.map(
    (level) => input.letterLevels.find((l) => l.level === level) ?? DEFAULT_LEVELS.find((l) => l.level === level)!,
  )
  const rows = [
    { key: KEYS.yellowWorkingDays, value: String(input.yellowWorkingDays) },
    { key: KEYS.lagMarginPercent, value: String(input.lagMarginPercent) },
    { key: KEYS.weights, value: JSON.stringify({ ...DEFAULT_WEIGHTS, ...input.weights }) },
    { key: KEYS.evaluationWeights, value: JSON.stringify({ ...DEFAULT_EVALUATION_WEIGHTS, ...input.evaluationWeights }) },
    { key: KEYS.letterLevels, value: JSON.stringify(levels) },
    { key: KEYS.letterPrefix, value: levels.find((l) => l.level === 'letter')!.prefix },
    { key: KEYS.publishReview, value: input.publishReview ? '1' : '0' },
  ]
  await db.transaction(async (trx) => {
    for (const row of rows) await trx('settings').insert(row).onConflict('key').merge()
  })
}
