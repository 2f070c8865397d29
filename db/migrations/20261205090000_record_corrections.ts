// Corrections, withdrawals and the city's per-record answers (issue 17 §2). A correction is a new version of the
// record (the old one kept in record_changes); a withdrawal takes it out of disclosure with the document that revoked
// it; both are decided four-eyes and travel in the next data package. A receipt may reject single records, which then
// wait in the 问题数据 queue until corrected. An import batch taken in by mistake can be rolled back before it is sent.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('records', (t) => {
    t.integer('version').notNullable().defaultTo(1)
    t.bigInteger('changed_at') // last approved correction or withdrawal: sends the record again
    t.string('withdrawn_on')
    t.string('withdrawal_doc')
    t.string('rejected_code') // the city's reason code, while the record waits in 问题数据
    t.text('rejected_reason')
    t.bigInteger('rejected_at')
    t.integer('rejected_in').references('exchange_packages.id')
    t.index(['changed_at'], 'records_changed_at')
    t.index(['reported_on'], 'records_reported_on') // the monthly report reads one month of every item
    t.index(['rejected_at'], 'records_rejected_at')
  })
  await knex.schema.createTable('record_changes', (t) => {
    t.increments('id')
    t.integer('record_id').notNullable().references('records.id')
    t.string('kind').notNullable() // correction | withdrawal
    t.string('status').notNullable() // pending | approved | rejected
    t.text('reason').notNullable()
    t.string('document') // 文号 of the decision that revoked it (withdrawal), or of the correction notice
    t.text('proposed') // correction: the record's columns as re-checked (sensitive values sealed)
    t.integer('version') // the version an approved change made
    t.text('previous_data') // the version it replaced (data and sealed values as they were)
    t.text('previous_sealed')
    t.integer('filed_by').notNullable().references('users.id')
    t.bigInteger('filed_at').notNullable()
    t.integer('decided_by').references('users.id')
    t.bigInteger('decided_at')
    t.text('decision_comment')
    t.index(['record_id'])
    t.index(['status', 'filed_at'])
    t.index(['decided_at'])
  })
  // Every rejection as it came (the record's columns hold only the current one): the monthly report counts them.
  await knex.schema.createTable('record_rejections', (t) => {
    t.increments('id')
    t.integer('record_id').notNullable().references('records.id').onDelete('CASCADE')
    t.integer('receipt_id').notNullable().references('exchange_packages.id')
    t.string('code').notNullable()
    t.text('reason').notNullable()
    t.bigInteger('at').notNullable()
    t.index(['record_id'])
    t.index(['at'])
  })
  // 调离: where the archive went (issue 17 §4).
  await knex.schema.alterTable('people', (t) => t.string('transferred_to'))
  await knex.schema.alterTable('import_batches', (t) => {
    t.integer('rollback_requested_by').references('users.id')
    t.bigInteger('rollback_requested_at')
    t.text('rollback_reason')
    t.integer('rolled_back_by').references('users.id')
    t.bigInteger('rolled_back_at')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_batches', (t) => {
    for (const c of ['rollback_requested_by', 'rollback_requested_at', 'rollback_reason', 'rolled_back_by', 'rolled_back_at'])
      t.dropColumn(c)
  })
  await knex.schema.alterTable('people', (t) => t.dropColumn('transferred_to'))
  await knex.schema.dropTable('record_rejections')
  await knex.schema.dropTable('record_changes')
  await knex.schema.alterTable('records', (t) => {
    t.dropIndex(['changed_at'], 'records_changed_at')
    t.dropIndex(['reported_on'], 'records_reported_on')
    t.dropIndex(['rejected_at'], 'records_rejected_at')
    for (const c of [
      'version',
      'changed_at',
      'withdrawn_on',
      'withdrawal_doc',
      'rejected_code',
      'rejected_reason',
      'rejected_at',
      'rejected_in',
    ])
      t.dropColumn(c)
  })
}
