// The record indexes that hold only rows with a value (migration 20261208090000): every query shape the app uses on
// these columns still reads them, and the migration goes both ways on a database holding records.
import type { Knex } from 'knex'
import { describe, expect, it } from 'vitest'
import * as partial from '../../db/migrations/20261208090000_partial_record_indexes'
import * as liveDisclosure from '../../db/migrations/20261209090000_live_disclosure_covers_repairs'
import { recordCountQuery } from '../../electron/core/catalog/record-list'
import { RecordQuery, type DisclosureFilter } from '../../electron/contract/schemas/records'
import { freshDb } from '../helpers'

async function plan(db: Knex, sql: string, bindings: Knex.RawBinding[] = []): Promise<string> {
  const rows: Array<{ detail: string }> = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)
  return rows.map((r) => r.detail).join(' | ')
}

const indexSql = async (db: Knex, name: string) =>
  ((await db('sqlite_master').where({ type: 'index', name }).first('sql')) as { sql: string } | undefined)?.sql ?? ''

/** Whether a query's program reads any column of the records table itself (not only of an index on it). */
async function readsRecordRows(db: Knex, query: Knex.QueryBuilder): Promise<boolean> {
  const { sql, bindings } = query.toSQL()
  const program: Array<{ opcode: string; p1: number; p2: number }> = await db.raw(`EXPLAIN ${sql}`, bindings as Knex.RawBinding[])
  const root = Number((await db('sqlite_master').where({ type: 'table', name: 'records' }).first('rootpage'))!.rootpage)
  const tableCursors = new Set(program.filter((op) => op.opcode === 'OpenRead' && op.p2 === root).map((op) => op.p1))
  return program.some((op) => op.opcode === 'Column' && tableCursors.has(op.p1))
}

describe('the index of records in their disclosure period', () => {
  // As the list asks for it: the item's records in a disclosure state, soonest ending first.
  const query = (disclosure: DisclosureFilter) =>
    RecordQuery.parse({ itemCode: 'SGS_CF', disclosure, sort: 'disclosureEndsOn', order: 'asc' })

  it("a list's capped count by disclosure state reads the index alone, not the records", async () => {
    const { db } = await freshDb()
    for (const state of ['expiring', 'open', 'repairable', 'disclosed', 'expired'] as const)
      expect([state, await readsRecordRows(db, recordCountQuery(db, query(state), '2026-11-22', null))]).toEqual([state, false])
    // (what the check tells apart: a count that needs a column the index does not hold)
    expect(await readsRecordRows(db, recordCountQuery(db, query('expiring'), '2026-11-22', null).where('r.subject_name', '甲'))).toBe(true)
  })

  it('the migration goes both ways: without the repair date in the index, the count reads the records', async () => {
    const { db } = await freshDb()
    await liveDisclosure.down(db)
    expect(await readsRecordRows(db, recordCountQuery(db, query('expiring'), '2026-11-22', null))).toBe(true)
    await liveDisclosure.up(db)
    expect(await readsRecordRows(db, recordCountQuery(db, query('expiring'), '2026-11-22', null))).toBe(false)
  })
})

describe('partial record indexes', () => {
  it('each query on a mostly-empty column reads its partial index', async () => {
    const { db } = await freshDb()
    // exchange-data: records corrected since the last package
    expect(await plan(db, 'SELECT id FROM records WHERE changed_at > ? AND changed_at <= ?', [1, 2])).toMatch(/records_changed_at/)
    // record list and workbench: 问题数据
    expect(await plan(db, 'SELECT count(*) FROM records WHERE rejected_at IS NOT NULL')).toMatch(/records_rejected_at/)
    // record list, credit report and credit hits: a natural person by the blind index of the ID number
    expect(await plan(db, 'SELECT id FROM records WHERE subject_id_index = ?', ['x'])).toMatch(/records_subject_id_index_index/)
    expect(await plan(db, 'SELECT id FROM records WHERE subject_id_index IN (?, ?) ORDER BY id', ['x', 'y'])).toMatch(
      /records_subject_id_index_index/,
    )
    for (const [name, column] of partial.PARTIAL_RECORD_INDEXES) expect(await indexSql(db, name)).toMatch(`WHERE ${column} IS NOT NULL`)
  })

  it('goes down and up again on a database holding records', async () => {
    const { db } = await freshDb()
    await db.raw(
      "INSERT INTO records (uid, item_code, item_id, subject_name, subject_key, data, reported_on, created_at, is_late) SELECT 'u1', code, id, '甲', 'name:甲', '{}', '2026-11-01', 0, 0 FROM catalog_items LIMIT 1",
    )
    await partial.down(db)
    for (const [name] of partial.PARTIAL_RECORD_INDEXES) expect(await indexSql(db, name)).not.toMatch(/WHERE/)
    await partial.up(db)
    for (const [name, column] of partial.PARTIAL_RECORD_INDEXES) expect(await indexSql(db, name)).toMatch(`WHERE ${column} IS NOT NULL`)
    expect(Number((await db('records').count({ n: '*' }))[0]!.n)).toBe(1)
  })
})
