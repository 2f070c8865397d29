// The audit trail gets a keyed chain: each row of audit_log and login_log carries an HMAC over its content and the
// previous row's MAC, with a key kept outside the database (keys/audit.key). Rows written before keep their unkeyed
// SHA-256 chain (mac NULL); the first keyed row continues from the last of them. The append-only triggers stay.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.string('mac')
  })
  await knex.schema.alterTable('login_log', (t) => {
    t.string('prev_mac')
    t.string('mac')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('login_log', (t) => {
    t.dropColumn('mac')
    t.dropColumn('prev_mac')
  })
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropColumn('mac')
  })
}
