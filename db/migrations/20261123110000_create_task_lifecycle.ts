// The supervision loop per task and unit: every step (交办, 签收, 进展, 延期申请/审批, 提交办结, 审核,
// 归档) is an event with its actor and time; a unit's own deadline moves only by an approved extension.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('task_units', (t) => {
    t.string('deadline') // set by an approved extension; null = the task's deadline
    t.integer('percent').notNullable().defaultTo(0)
    t.integer('submitted_by').references('users.id')
  })
  await knex.schema.createTable('task_events', (t) => {
    t.increments('id')
    t.integer('task_id').notNullable().references('tasks.id')
    t.integer('task_unit_id').references('task_units.id')
    t.string('kind').notNullable()
    t.text('text')
    t.integer('percent')
    t.string('new_deadline')
    t.string('decision') // approved | refused | returned
    t.string('status').notNullable().defaultTo('done') // pending for an extension request until decided
    t.integer('actor_id').notNullable().references('users.id')
    t.bigInteger('at').notNullable()
    t.index(['task_id', 'at'])
    t.index(['kind', 'status'])
  })
  // Stamped scans behind a progress report or a completion, stored like archive scans (sealed, once).
  await knex.schema.createTable('task_event_attachments', (t) => {
    t.integer('event_id').notNullable().references('task_events.id')
    t.string('digest').notNullable().references('attachments.digest')
    t.string('file_name').notNullable()
    t.primary(['event_id', 'digest'])
  })
  await knex('settings').insert({ key: 'task_yellow_working_days', value: '5' }).onConflict('key').ignore()
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('task_event_attachments')
  await knex.schema.dropTable('task_events')
  await knex.schema.alterTable('task_units', (t) => {
    t.dropColumn('deadline')
    t.dropColumn('percent')
    t.dropColumn('submitted_by')
  })
  await knex('settings').where('key', 'task_yellow_working_days').del()
}
