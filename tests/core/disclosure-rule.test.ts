// The disclosure status exists as one function for a record and as SQL filters for lists and counts. Every
// combination of dates around today must land in the same place both ways.
import knex from 'knex'
import { afterAll, describe, expect, it } from 'vitest'
import { disclosureStatus, EXPIRING_DAYS, whereDisclosure } from '../../electron/core/catalog/disclosure'
import { DISCLOSURE_FILTERS } from '../../electron/contract/schemas/records'

const TODAY = '2026-06-15'
const day = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
const CHOICES = [null, day(-1), TODAY, day(1), day(EXPIRING_DAYS), day(EXPIRING_DAYS + 1)]

describe('the disclosure rule, one record at a time and in SQL', () => {
  const db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true })
  afterAll(() => db.destroy())

  it('puts every record in the same state both ways, for every filter', async () => {
    await db.schema.createTable('records', (t) => {
      t.increments('id')
      ;['repairable_from', 'disclosure_ends_on', 'repaired_on', 'revoked_on'].forEach((c) => t.string(c).nullable())
    })
    const rows = CHOICES.flatMap((repairable_from) =>
      CHOICES.flatMap((disclosure_ends_on) =>
        CHOICES.flatMap((repaired_on) =>
          [null, day(-1)].map((revoked_on) => ({ repairable_from, disclosure_ends_on, repaired_on, revoked_on })),
        ),
      ),
    )
    for (let i = 0; i < rows.length; i += 100) await db('records').insert(rows.slice(i, i + 100))
    const stored = await db('records').select()
    const state = new Map(
      stored.map((r) => [
        r.id,
        disclosureStatus(
          { repairableFrom: r.repairable_from, endsOn: r.disclosure_ends_on, repairedOn: r.repaired_on, revokedOn: r.revoked_on },
          TODAY,
        ),
      ]),
    )
    const endsOn = new Map(stored.map((r) => [r.id, r.disclosure_ends_on as string | null]))
    const expected: Record<string, (id: number) => boolean> = {
      disclosed: (id) => state.get(id) === '公示中',
      repairable: (id) => state.get(id) === '可申请修复',
      expired: (id) => state.get(id) === '已到期',
      repaired: (id) => state.get(id) === '已修复',
      revoked: (id) => state.get(id) === '已撤销',
      open: (id) => ['公示中', '可申请修复'].includes(state.get(id)!),
      expiring: (id) => ['公示中', '可申请修复'].includes(state.get(id)!) && endsOn.get(id)! <= day(EXPIRING_DAYS),
    }
    for (const filter of DISCLOSURE_FILTERS) {
      const ids = (await whereDisclosure(db('records as r'), filter, TODAY).pluck('r.id')).sort((a, b) => a - b)
      const want = stored.map((r) => r.id).filter(expected[filter]!)
      expect({ filter, ids }).toEqual({ filter, ids: want })
      expect(want.length, filter).toBeGreaterThan(0)
    }
    // Not disclosed at all: no period, no state, in no filter.
    expect(stored.filter((r) => r.disclosure_ends_on === null).every((r) => state.get(r.id) === null)).toBe(true)
  })
})
