// Supervision (督查督办): a work plan as confirmed by the office, its tasks (a tree, as numbered in the
// document), the units each task names by role, and the office's aliases for unit names the
// documents print differently from the unit tree (市发改委 ↔ 市发展改革委).
// external_id carries the id of a task issued by the city in a transfer package.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('plans', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.string('title').notNullable()
    t.string('issuer')
    t.string('doc_number')
    t.integer('year').notNullable()
    t.string('source_file')
    t.string('external_id').unique()
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
  })
  await knex.schema.createTable('tasks', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.integer('plan_id').notNullable().references('plans.id')
    t.integer('parent_id').references('tasks.id')
    t.string('path').notNullable() // 二/(一)/3, as printed
    t.string('number').notNullable()
    t.string('title').notNullable()
    t.string('section').notNullable()
    t.string('deadline') // YYYY-MM-DD
    t.string('deadline_text')
    t.string('recurring') // monthly:22 | monthly | quarterly | semiannual | annual
    t.text('source_text').notNullable()
    t.string('status').notNullable() // created → assigned → … → archived
    t.string('external_id').unique()
    t.integer('sort_order').notNullable()
    t.bigInteger('created_at').notNullable()
    t.index(['plan_id', 'sort_order'])
    t.index(['deadline'])
  })
  await knex.schema.createTable('task_units', (t) => {
    t.increments('id')
    t.integer('task_id').notNullable().references('tasks.id')
    t.integer('unit_id').notNullable().references('org_units.id')
    t.string('role').notNullable() // lead | responsible | cooperating
    t.string('status').notNullable() // per-unit progress
    t.unique(['task_id', 'unit_id'])
    t.index(['unit_id', 'status'])
  })
  await knex.schema.createTable('unit_aliases', (t) => {
    t.string('alias').primary()
    t.integer('unit_id').notNullable().references('org_units.id')
    t.bigInteger('created_at').notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['unit_aliases', 'task_units', 'tasks', 'plans']) await knex.schema.dropTable(table)
}
