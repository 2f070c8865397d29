// db/tables.ts tells knex what each table holds; a migration that adds, drops or changes a column without it would
// let the compiler vouch for rows that are not there. Here the migrated schema and the declarations must agree.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { freshDb } from '../helpers'

/** interface name → { column → nullable } as declared, and table → interface from the Tables block. */
function declared() {
  const text = readFileSync('db/tables.ts', 'utf8')
  const interfaces = new Map<string, Map<string, boolean>>()
  for (const m of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const columns = new Map<string, boolean>()
    for (const c of m[2]!.matchAll(/^ {2}(\w+): (.+)$/gm)) columns.set(c[1]!, / \| null$/.test(c[2]!))
    interfaces.set(m[1]!, columns)
  }
  const tables = new Map<string, string>()
  const block = /interface Tables \{([\s\S]*?)\}/.exec(text)![1]!
  for (const t of block.matchAll(/^\s+(\w+): (\w+)$/gm)) tables.set(t[1]!, t[2]!)
  return { interfaces, tables }
}

describe('db/tables.ts', () => {
  it('declares every table the migrations make, column for column, nullable where the column is', async () => {
    const { db } = await freshDb()
    const { interfaces, tables } = declared()
    const actual: string[] = await db('sqlite_master')
      .where('type', 'table')
      .whereNot('name', 'like', 'knex_%')
      .whereNot('name', 'like', 'sqlite_%')
      .pluck('name')
    expect([...tables.keys()].sort()).toEqual(actual.sort())
    for (const table of actual) {
      const columns: Array<{ name: string; notnull: number; pk: number }> = await db.raw(
        `SELECT name, "notnull", pk FROM pragma_table_info('${table}')`,
      )
      const want = Object.fromEntries(columns.map((c) => [c.name, c.notnull === 0 && c.pk === 0]))
      expect({ table, columns: Object.fromEntries(interfaces.get(tables.get(table)!)!) }).toEqual({ table, columns: want })
    }
  })
})
