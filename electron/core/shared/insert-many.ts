import type { Knex } from 'knex'

type Cell = string | number | boolean | null

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER (3.32 and later). */
const MAX_VARIABLES = 32_766

interface SqliteStatement {
  run(params: Cell[], cb: (err: Error | null) => void): void
  finalize(cb: () => void): void
}
interface SqliteDatabase {
  prepare(sql: string, cb: (err: Error | null) => void): SqliteStatement
}

export interface BulkInserter {
  /** Rows must have exactly the inserter's columns. One statement at a time: await each call before the next. */
  insert(rows: ReadonlyArray<Record<string, Cell>>): Promise<void>
  close(): Promise<void>
}

/**
 * Many rows of one shape through one multi-row INSERT prepared once on the transaction's connection and run again
 * for each batch. A bulk import spent more time having knex build and SQLite parse a fresh 20,000-parameter
 * statement per batch than inserting the rows.
 */
export async function bulkInserter(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rowsPerStatement: number,
): Promise<BulkInserter> {
  const conn: SqliteDatabase = await trx.client.acquireConnection() // a transaction's client hands out its own connection
  const perStatement = Math.min(rowsPerStatement, Math.floor(MAX_VARIABLES / columns.length))
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`
  const head = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES `
  const tuple = `(${columns.map(() => '?').join(', ')})`
  const prepare = (rows: number) =>
    new Promise<SqliteStatement>((resolve, reject) => {
      const stmt = conn.prepare(head + Array<string>(rows).fill(tuple).join(', '), (err) => (err ? reject(err) : resolve(stmt)))
    })
  const run = (stmt: SqliteStatement, params: Cell[]) =>
    new Promise<void>((resolve, reject) => stmt.run(params, (err) => (err ? reject(err) : resolve())))
  const finalize = (stmt: SqliteStatement) => new Promise<void>((resolve) => stmt.finalize(resolve))
  let full: SqliteStatement | null = null

  return {
    async insert(rows) {
      for (let at = 0; at < rows.length; at += perStatement) {
        const part = rows.slice(at, at + perStatement)
        const params = new Array<Cell>(part.length * columns.length) // (flatMap took more time than the insert's binding)
        let k = 0
        for (const r of part) for (const c of columns) params[k++] = r[c] ?? null
        if (part.length === perStatement) await run((full ??= await prepare(perStatement)), params)
        else {
          const once = await prepare(part.length)
          try {
            await run(once, params)
          } finally {
            await finalize(once)
          }
        }
      }
    },
    async close() {
      if (full) await finalize(full)
      full = null
    },
  }
}
