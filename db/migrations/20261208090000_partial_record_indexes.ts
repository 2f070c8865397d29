// Indexes on columns that stay empty for almost every record (a correction's time, the city's rejection, a natural
// person's ID index) hold only the rows that have a value: an import no longer writes 100,000 NULL entries into
// each. Every query on these columns compares them (=, IN, >) or asks IS NOT NULL, which SQLite reads from a
// partial index (tests/db/partial-indexes.test.ts holds the plans).
import type { Knex } from 'knex'

export const PARTIAL_RECORD_INDEXES = [
  ['records_changed_at', 'changed_at'],
  ['records_rejected_at', 'rejected_at'],
  ['records_subject_id_index_index', 'subject_id_index'],
] as const

export async function up(knex: Knex): Promise<void> {
  for (const [name, column] of PARTIAL_RECORD_INDEXES) {
    await knex.raw(`DROP INDEX IF EXISTS ${name}`)
    await knex.raw(`CREATE INDEX ${name} ON records (${column}) WHERE ${column} IS NOT NULL`)
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, column] of PARTIAL_RECORD_INDEXES) {
    await knex.raw(`DROP INDEX IF EXISTS ${name}`)
    await knex.raw(`CREATE INDEX ${name} ON records (${column})`)
  }
}
