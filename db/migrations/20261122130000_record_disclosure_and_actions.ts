// Disclosure dates of 失信 records and the 信用修复 / 异议 applications filed against records.
// The window (repairable_from, disclosure_ends_on) is worked out at entry from the rule in force on
// the decision date, so the list can filter 公示中 / 可申请修复 / 已到期 in SQL against today.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('records', (t) => {
    t.string('dishonesty_level') // minor | general | serious, copied from the item version
    t.string('repairable_from')
    t.string('disclosure_ends_on')
    t.string('repaired_on') // set when a 信用修复 application is approved
    t.string('revoked_on') // set when an 异议 is upheld: the record is withdrawn from disclosure
    // The list's other sort orders and its unit filter, each under the item (lists are per item).
    // is_late rides along so the per-unit late counts read the index alone.
    t.index(['item_code', 'reported_on'])
    t.index(['item_code', 'created_at'])
    t.index(['item_code', 'supplier_unit_id', 'decision_date', 'is_late'])
    t.index(['item_code', 'supplier_unit_id', 'reported_on'])
    t.index(['decision_date']) // the all-items list, newest first
    t.dropIndex(['supplier_unit_id', 'decision_date']) // superseded by the per-item unit index
    // Name search sorted by date reads the index alone.
    t.dropIndex(['item_code', 'subject_name'])
    t.index(['item_code', 'subject_name', 'decision_date'])
  })
  // Records still in disclosure (not repaired, not withdrawn): the status filters and counts read this
  // alone. (A plain (item, disclosure end) index made the planner prefer it and look up every row.)
  await knex.raw(
    'CREATE INDEX records_live_disclosure ON records (item_code, disclosure_ends_on, repairable_from) WHERE repaired_on IS NULL AND revoked_on IS NULL',
  )
  await knex.schema.createTable('record_actions', (t) => {
    t.increments('id')
    t.integer('record_id').notNullable().references('records.id')
    t.string('kind').notNullable() // repair | objection
    t.string('status').notNullable() // pending | approved | rejected
    t.text('reason').notNullable()
    t.text('documents').notNullable() // document numbers / names the applicant supplied
    t.string('applicant').notNullable()
    t.integer('filed_by').notNullable().references('users.id')
    t.bigInteger('filed_at').notNullable()
    t.integer('decided_by').references('users.id')
    t.bigInteger('decided_at')
    t.text('decision_comment')
    t.index(['record_id'])
    t.index(['status', 'filed_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('record_actions')
  await knex.raw('DROP INDEX records_live_disclosure')
  await knex.schema.alterTable('records', (t) => {
    t.dropIndex(['item_code', 'subject_name', 'decision_date'])
    t.index(['item_code', 'subject_name'])
    t.dropIndex(['item_code', 'reported_on'])
    t.dropIndex(['item_code', 'created_at'])
    t.dropIndex(['item_code', 'supplier_unit_id', 'decision_date', 'is_late'])
    t.dropIndex(['item_code', 'supplier_unit_id', 'reported_on'])
    t.dropIndex(['decision_date'])
    t.index(['supplier_unit_id', 'decision_date'])
    t.dropColumn('dishonesty_level')
    t.dropColumn('repairable_from')
    t.dropColumn('disclosure_ends_on')
    t.dropColumn('repaired_on')
    t.dropColumn('revoked_on')
  })
}
