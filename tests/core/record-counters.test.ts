// The 归集数据 statistics strip reads counters the database keeps beside `records`: after every kind of write (new
// rows, late, rejected by the city, repaired — also with a date still ahead —, revoked, moved to another unit or
// item, a period changed, rows deleted) it says exactly what counting the rows says, on either side of each date
// edge; an office upgrading gets its counters from the rows it has.
import { describe, expect, it } from 'vitest'
import * as counters from '../../db/migrations/20261207090000_record_counters'
import { loadStoreContext } from '../../electron/core/catalog/record-context'
import { recordStats } from '../../electron/core/catalog/record-list'
import { expiringBy, whereDisclosure } from '../../electron/core/catalog/disclosure'
import type { IsoDate } from '../../electron/core/calendar/working-calendar'
import { seedDemo } from '../../electron/core/demo/demo-seed'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { manualClock } from '../../electron/core/shared/clock'
import { countRows } from '../../electron/core/shared/count-rows'
import { completeSetup } from '../../electron/core/system/setup'
import type { Knex } from 'knex'
import { freshDb, SETUP } from '../helpers'

const TODAY: IsoDate = '2026-12-02'

/** The strip by counting the rows themselves (what it was before the counters): the reference. */
async function counted(db: Knex, itemCode: string | null, today: IsoDate) {
  const base = () => (itemCode ? db('records as r').where('r.item_code', itemCode) : db('records as r'))
  const byUnit = await base()
    .leftJoin('org_units as u', 'u.id', 'r.supplier_unit_id')
    .groupBy('r.supplier_unit_id', 'u.name')
    .select('u.name as unitName', db.raw('count(*) as total'), db.raw('sum(CASE WHEN r.is_late THEN 1 ELSE 0 END) as late'))
  return {
    total: await countRows(base()),
    late: await countRows(base().where('r.is_late', true)),
    disclosed: await countRows(whereDisclosure(base(), 'open', today)),
    expiringSoon: await countRows(whereDisclosure(base(), 'expiring', today)),
    rejected: await countRows(base().whereNotNull('r.rejected_at')),
    byUnit: byUnit
      .map((u: { unitName: string | null; total: number; late: number }) => ({
        unitName: u.unitName,
        total: Number(u.total),
        late: Number(u.late),
      }))
      .sort((a, b) => b.total - a.total || String(a.unitName).localeCompare(String(b.unitName))),
  }
}

async function expectExact(db: Knex, today: IsoDate) {
  const items: Array<string | null> = [null, ...(await db('records').distinct('item_code').pluck('item_code'))]
  for (const item of items) {
    const { pendingActions, ...fromCounters } = await recordStats(db, item, today)
    expect(pendingActions).toBeGreaterThanOrEqual(0)
    const reference = await counted(db, item, today)
    fromCounters.byUnit.sort((a, b) => b.total - a.total || String(a.unitName).localeCompare(String(b.unitName)))
    expect(fromCounters, `item ${item}, today ${today}`).toEqual(reference)
  }
}

async function seeded() {
  const { db, dataDir } = await freshDb()
  const clock = manualClock(Date.parse('2026-12-02T02:00:00Z'))
  await completeSetup(db, clock, SETUP)
  const keys = await loadFieldKeys(db, dataDir, noProtector)
  await seedDemo(db, clock, await loadStoreContext(db, TODAY, keys), {
    records: 800,
    people: 0,
    seed: 7,
    today: TODAY,
    regionCode: '350102',
  })
  return db
}

/** Days on which some period ends, and the days either side: where `>` and `<=` part. */
async function edgeDays(db: Knex): Promise<IsoDate[]> {
  const ends: Array<string | null> = await db('records')
    .whereNotNull('disclosure_ends_on')
    .orderBy('disclosure_ends_on')
    .limit(1)
    .pluck('disclosure_ends_on')
  const mid: Array<string | null> = await db('records')
    .whereNotNull('disclosure_ends_on')
    .orderBy('disclosure_ends_on', 'desc')
    .limit(1)
    .pluck('disclosure_ends_on')
  const shift = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
  return [TODAY, ends[0]!, shift(ends[0]!, -1), mid[0]!, shift(mid[0]!, -1), shift(TODAY, -30)]
}

describe('statistics strip counters', () => {
  it('agree with counting the rows after every kind of write, on both sides of each date edge', async () => {
    const db = await seeded()
    for (const day of await edgeDays(db)) await expectExact(db, day)

    const ids: number[] = await db('records').orderBy('id').pluck('id')
    const units: number[] = await db('org_units').pluck('id')
    const items: string[] = await db('records').distinct('item_code').pluck('item_code')
    const some = (k: number) => ids.filter((_, i) => i % k === 0)
    await db('records').whereIn('id', some(7)).update({ is_late: true })
    await db('records').whereIn('id', some(11)).update({ is_late: false })
    await db('records').whereIn('id', some(13)).update({ rejected_at: Date.now(), rejected_code: 'X', rejected_reason: '退回' })
    await db('records').whereIn('id', some(17)).update({ repaired_on: '2026-11-30' })
    await db('records').whereIn('id', some(19)).update({ repaired_on: '2027-01-15' }) // repaired, with a date still ahead
    await db('records').whereIn('id', some(23)).update({ revoked_on: '2026-11-01' })
    await db('records').whereIn('id', some(29)).update({ supplier_unit_id: units[1] })
    await db('records').whereIn('id', some(31)).update({ supplier_unit_id: null })
    await db('records')
      .whereIn('id', some(37))
      .update({ disclosure_ends_on: expiringBy(TODAY) }) // the last expiring day
    await db('records').whereIn('id', some(41)).update({ disclosure_ends_on: null })
    await db('records').whereIn('id', some(43)).update({ item_code: items[0] })
    await db('records').whereIn('id', some(47)).update({ repaired_on: null, revoked_on: null })
    await db('records').whereIn('id', some(53)).del()
    const [copy] = await db('records').where('id', ids[1]!).select()
    await db('records').insert({ ...copy, id: undefined, uid: 'copy-1', doc_number: 'copy-1', subject_key: 'copy-1' })

    for (const day of [...(await edgeDays(db)), expiringBy(TODAY), '2027-01-15', '2027-01-14'] as IsoDate[]) await expectExact(db, day)
    await db.destroy()
  })

  it('an office upgrading gets counters from the rows it already has', async () => {
    const db = await seeded()
    await db('records').limit(50).update({ rejected_at: 1 })
    await counters.down(db)
    await db('records').limit(30).update({ is_late: true }) // written while there were no counters
    await counters.up(db)
    await expectExact(db, TODAY)
    const triggers: string[] = await db('sqlite_master').where('type', 'trigger').where('tbl_name', 'records').pluck('name')
    expect(triggers.sort()).toEqual([...counters.RECORD_COUNTER_TRIGGERS].sort())
    await db.destroy()
  })
})
