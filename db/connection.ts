import type {} from './tables'
import knexFactory, { type Knex } from 'knex'
import { migrationSource } from './migrations'

const BUSY_TIMEOUT_MS = 5000

/**
 * One knex instance per process over one SQLite file. A single pooled connection keeps the
 * per-connection pragmas in force and avoids SQLITE_BUSY between our own queries.
 */
export function createDb(filename: string): Knex {
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) => {
        conn.serialize(() => {
          conn.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
          conn.run('PRAGMA foreign_keys = ON')
          // Deleted and rewritten rows are zeroed, not left readable in free pages (personal data, sealed or not).
          conn.run('PRAGMA secure_delete = ON')
          conn.run('PRAGMA journal_mode = WAL', (err: Error | null) => done(err, conn))
        })
      },
    },
    migrations: { migrationSource },
  })
}

interface SqliteConnection {
  serialize(fn: () => void): void
  run(sql: string, cb?: (err: Error | null) => void): void
}
