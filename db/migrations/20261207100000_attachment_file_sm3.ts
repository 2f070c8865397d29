// The SM3 of a stored scan's sealed file as written (its ciphertext, so it says nothing about the document): an export
// carrying the file as it is checks it against this at 3× the speed of checking the GCM tag, without decrypting.
// Files sealed before (format 1, under the field key) have none; they are opened and sealed again anyway.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.string('file_sm3', 64)
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.dropColumn('file_sm3')
  })
}
