// An outgoing package's sequence number is reserved (a 'writing' row) before the file is written, so two exports
// can never take the same number; the row becomes 'done' in the transaction that logs the finished package, before
// the file gets its final name. A row left 'writing' by a killed process is marked 'abandoned' at the next start.
// What a package may carry becomes a per-peer setting kept by the administrator: by default the catalog, records
// and task progress; civil-servant archives only where the city's role requires them (they carry full ID numbers).
// Receipts get their own identity: they carry no sequence of their own that must be unique (a re-issued receipt for
// the same package is not a replay), so the unique index no longer covers them.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exchange_packages', (t) => {
    t.string('state').notNullable().defaultTo('done') // writing | done | abandoned
  })
  await knex.schema.alterTable('exchange_packages', (t) => {
    t.dropUnique(['direction', 'peer_fingerprint', 'kind', 'sequence'])
  })
  await knex.raw(
    "CREATE UNIQUE INDEX exchange_packages_sequence_unique ON exchange_packages (direction, peer_fingerprint, kind, sequence) WHERE kind <> 'receipt'",
  )
  await knex.schema.alterTable('exchange_peers', (t) => {
    t.text('parts').notNullable().defaultTo('["catalog","records","progress"]')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('exchange_peers', (t) => {
    t.dropColumn('parts')
  })
  await knex.raw('DROP INDEX exchange_packages_sequence_unique')
  await knex.schema.alterTable('exchange_packages', (t) => {
    t.unique(['direction', 'peer_fingerprint', 'kind', 'sequence'])
    t.dropColumn('state')
  })
}
