import { describe, expect, it } from 'vitest'
import { bulkInserter } from '../../electron/core/shared/insert-many'
import { freshDb } from '../helpers'

async function scratch() {
  const { db } = await freshDb()
  await db.schema.createTable('scratch', (t) => {
    t.increments('id')
    t.string('code').notNullable().unique()
    t.text('note')
    t.integer('n')
    t.double('x')
    t.boolean('flag')
  })
  return db
}

const row = (i: number) => ({ code: `C${i}`, note: i % 3 ? `第${i}行` : null, n: i, x: i / 4, flag: i % 2 === 0 })

describe('bulk inserter', () => {
  it('writes what knex writes, in order, through full and partial statements', async () => {
    const db = await scratch()
    const rows = Array.from({ length: 25 }, (_, i) => row(i))
    await db.transaction(async (trx) => {
      const inserter = await bulkInserter(trx, 'scratch', Object.keys(rows[0]!), 10)
      await inserter.insert(rows.slice(0, 20)) // two full statements
      await inserter.insert(rows.slice(20)) // five rows: a statement of their own
      await inserter.close()
    })
    const viaKnex = await scratch()
    await viaKnex('scratch').insert(rows)
    const all = await db('scratch').orderBy('id')
    expect(all).toHaveLength(25)
    expect(all).toEqual(await viaKnex('scratch').orderBy('id'))
    expect(all[2]).toEqual({ id: 3, code: 'C2', note: '第2行', n: 2, x: 0.5, flag: 1 })
    expect(all[3]).toMatchObject({ note: null, flag: 0 })
  })

  it('keeps within SQLite’s parameter limit whatever it is asked for', async () => {
    const db = await scratch()
    const rows = Array.from({ length: 7000 }, (_, i) => row(i)) // 7,000 × 5 columns = 35,000 parameters
    await db.transaction(async (trx) => {
      const inserter = await bulkInserter(trx, 'scratch', Object.keys(rows[0]!), 7000)
      await inserter.insert(rows)
      await inserter.close()
    })
    expect(Number((await db('scratch').count({ n: '*' }))[0]!.n)).toBe(7000)
  })

  it('a failing row fails the call and the transaction keeps nothing', async () => {
    const db = await scratch()
    const err = await db
      .transaction(async (trx) => {
        const inserter = await bulkInserter(trx, 'scratch', ['code', 'note', 'n', 'x', 'flag'], 4)
        try {
          await inserter.insert([row(1), row(2), row(3), row(4)])
          await inserter.insert([row(5), row(5)])
        } finally {
          await inserter.close()
        }
      })
      .catch((e: Error) => e)
    expect(String(err)).toMatch(/UNIQUE constraint failed: scratch.code/)
    expect(Number((await db('scratch').count({ n: '*' }))[0]!.n)).toBe(0)
  })
})
