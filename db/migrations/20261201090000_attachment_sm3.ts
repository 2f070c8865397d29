// A stored scan's SM3 (what a transfer package names it by), sealed like any sensitive field: in the clear it would
// let anyone holding the database confirm a known document, which the keyed address exists to prevent. Kept so an
// export can stream a scan into the package without a first pass to hash it; older rows get it at their first export.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.text('sm3_sealed')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.dropColumn('sm3_sealed')
  })
}
