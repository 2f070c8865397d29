// The name the office has on record for subjects given by code alone (a check of bare codes, a report asked for by
// USCC): the latest record's subject name, else the latest list entry's or commitment's. Looked up in batches.
import type { Knex } from 'knex'
import type { Subject } from './subject'

const CHUNK = 400

export async function knownNames(db: Knex, subjects: readonly Subject[]): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  const want = subjects.filter((s) => s.code || s.idNumber)
  const byColumn = async (table: 'records' | 'credit_list_entries' | 'commitments', column: string, values: Map<string, string>) => {
    const open = [...values].filter(([, key]) => !names.has(key))
    for (let i = 0; i < open.length; i += CHUNK) {
      const part = new Map(open.slice(i, i + CHUNK))
      const rows: Array<{ v: string; subject_name: string }> = await db(table)
        .whereIn(column, [...part.keys()])
        .orderBy('id')
        .select(`${column} as v`, 'subject_name')
      for (const r of rows) names.set(part.get(r.v)!, r.subject_name) // id order: the latest wins
    }
  }
  await byColumn('records', 'subject_code', new Map(want.filter((s) => s.code).map((s) => [s.code!, s.key])))
  await byColumn('records', 'subject_id_index', new Map(want.filter((s) => s.idNumber).map((s) => [s.key.slice(3), s.key])))
  for (const table of ['credit_list_entries', 'commitments'] as const)
    await byColumn(table, 'subject_key', new Map(want.map((s) => [s.key, s.key])))
  return names
}
