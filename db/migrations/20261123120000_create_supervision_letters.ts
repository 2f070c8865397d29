// 督办函: letters a supervisor issues about a lagging task, numbered per year (文号 sequence).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('supervision_letters', (t) => {
    t.increments('id')
    t.integer('year').notNullable()
    t.integer('seq').notNullable()
    t.string('doc_number').notNullable().unique()
    t.integer('task_id').notNullable().references('tasks.id')
    t.text('unit_names').notNullable() // JSON: the units addressed, as named when issued
    t.string('new_deadline').notNullable()
    t.text('body').notNullable()
    t.integer('created_by').notNullable().references('users.id')
    t.bigInteger('created_at').notNullable()
    t.unique(['year', 'seq'])
  })
  await knex('settings').insert({ key: 'letter_prefix', value: '信用督' }).onConflict('key').ignore()
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('supervision_letters')
  await knex('settings').where('key', 'letter_prefix').del()
}
