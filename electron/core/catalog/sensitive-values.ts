// Values of items marked sensitive after they were recorded (法定代表人证件号码 before 2026-12) sit in a record's
// `data` in clear. Once the field key is loaded they are sealed and masked like new ones, in one transaction; a
// record whose value is already sealed is left alone, so this runs at every start for the cost of one query.
import type { Knex } from 'knex'
import type { FieldKeys } from '../security/field-crypto'
import { maskIdNumber } from '../security/field-crypto'
import { sealSensitiveValue } from './records'

const BATCH = 500

export async function sealLegacySensitiveValues(db: Knex, keys: FieldKeys): Promise<number> {
  const fields = await db('catalog_fields').where('sensitive', true).whereNot('type', 'idcard').select('item_id', 'code')
  if (!fields.length) return 0
  const byItem = new Map<number, string[]>()
  for (const f of fields) byItem.set(f.item_id, [...(byItem.get(f.item_id) ?? []), f.code])
  let sealedCount = 0
  await db.transaction(async (trx) => {
    for (const [itemId, codes] of byItem) {
      let after = 0
      for (;;) {
        const rows = await trx('records')
          .where('item_id', itemId)
          .andWhere('id', '>', after)
          .orderBy('id')
          .limit(BATCH)
          .select('id', 'data', 'sealed')
        if (!rows.length) break
        after = rows[rows.length - 1]!.id
        for (const row of rows) {
          const plain: string[] = []
          const data: Record<string, unknown> = JSON.parse(row.data)
          const sealed: Record<string, string> = row.sealed ? JSON.parse(row.sealed) : {}
          for (const c of codes) {
            const value = data[c]
            if (c in sealed || typeof value !== 'string' || value === '') continue
            sealed[c] = sealSensitiveValue(keys, c, value)
            data[c] = maskIdNumber(value)
            plain.push(c)
          }
          if (!plain.length) continue
          await trx('records')
            .where('id', row.id)
            .update({ data: JSON.stringify(data), sealed: JSON.stringify(sealed) })
          sealedCount += plain.length
        }
      }
    }
  })
  return sealedCount
}
