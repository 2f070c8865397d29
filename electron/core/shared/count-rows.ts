import type { Knex } from 'knex'

/** `SELECT count(*)` over a query builder's filters. */
export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const rows = await query.count<Array<{ n: number | string }>>({ n: '*' })
  return Number(rows[0]?.n ?? 0)
}
