// When the auditor last checked the audit chain, and what the check found: shown on the auditor's 工作台.
import type { Knex } from 'knex'

const KEY = 'audit_last_verified'

export interface ChainCheckNote {
  at: number
  intact: boolean
}

export async function noteChainCheck(db: Knex, note: ChainCheckNote): Promise<void> {
  await db('settings')
    .insert({ key: KEY, value: JSON.stringify(note) })
    .onConflict('key')
    .merge()
}

export async function lastChainCheck(db: Knex): Promise<ChainCheckNote | null> {
  const row = await db('settings').where('key', KEY).first('value')
  if (!row) return null
  const note: unknown = JSON.parse(row.value)
  if (typeof note !== 'object' || note === null || !('at' in note) || !('intact' in note)) return null
  return { at: Number(note.at), intact: note.intact === true }
}
