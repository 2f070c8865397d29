import type { Knex } from 'knex'

const BATCH = 500 // (rows read at a time: smaller batches keep the main heap low during a long export)

/** Rows of a query in id order, a batch at a time (memory stays flat whatever the table size). */
export async function* byId<T>(
  query: () => Knex.QueryBuilder,
  idColumn: string,
  map: (rows: Array<Record<string, unknown>>) => Promise<T[]> | T[],
): AsyncGenerator<T> {
  let last = 0
  for (;;) {
    const rows: Array<Record<string, unknown>> = await query().where(idColumn, '>', last).orderBy(idColumn).limit(BATCH)
    if (!rows.length) return
    for (const r of await map(rows)) yield r
    last = Number(rows[rows.length - 1]!.id)
  }
}
