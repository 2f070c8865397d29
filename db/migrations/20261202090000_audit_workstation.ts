// Every audit and login row names the workstation it was written on (host name and OS account): the data folder can
// be restored onto another PC, and the command line may run under another account. Older rows have none (NULL); the
// keyed chain covers the column only where it is set, so their MACs stay valid.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  for (const table of ['audit_log', 'login_log'])
    await knex.schema.alterTable(table, (t) => {
      t.string('workstation')
    })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['login_log', 'audit_log'])
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('workstation')
    })
}
