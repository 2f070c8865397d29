// 督查督办 as offices run it: tasks set up by hand (立项依据, 督办类型, 紧急程度) and published after review; letters in
// three escalating levels (提醒函 → 督办函 → 通报), each numbered in its own series, addressed to chosen units whose
// reply deadline becomes their deadline and whose replies are recorded; 会议/电话/现场督办 logs; the evaluation after
// 办结; events entered from a unit's returned 反馈表 (or from the command line, with no app account).
import type { Knex } from 'knex'

/**
 * task_events.actor_id loses its NOT NULL. SQLite cannot alter a column, so the table is rebuilt the way SQLite
 * documents, inside this migration's transaction: the rows are set aside, the table dropped and created again with the
 * same definition less the constraint, and the rows put back. The foreign keys of rows pointing at task_events
 * (attachments of events) are checked at commit (defer_foreign_keys), by which time every event is back.
 */
async function allowNullActor(knex: Knex): Promise<void> {
  await knex.raw('PRAGMA defer_foreign_keys = ON')
  const table = await knex('sqlite_master').where({ type: 'table', name: 'task_events' }).first('sql')
  const indexes: string[] = await knex('sqlite_master').where({ type: 'index', tbl_name: 'task_events' }).whereNotNull('sql').pluck('sql')
  const definition = String(table.sql)
  // However the table was last written (knex quotes with backticks or double quotes), drop the column's NOT NULL;
  // a column already nullable (this migration undone and done again) needs nothing.
  const relaxed = definition.replace(/([`"]?actor_id[`"]?\s+integer)\s+not\s+null/i, '$1')
  if (relaxed === definition) return
  const columns = '`id`, `task_id`, `task_unit_id`, `kind`, `text`, `percent`, `new_deadline`, `decision`, `status`, `actor_id`, `at`'
  await knex.raw('CREATE TABLE `task_events_before_upgrade` AS SELECT * FROM `task_events`')
  await knex.raw('DROP TABLE `task_events`')
  await knex.raw(relaxed)
  await knex.raw(`INSERT INTO \`task_events\` (${columns}) SELECT ${columns} FROM \`task_events_before_upgrade\``)
  await knex.raw('DROP TABLE `task_events_before_upgrade`')
  for (const index of indexes) await knex.raw(index)
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('plans', (t) => {
    t.string('kind').notNullable().defaultTo('document') // document | manual (the year's 临时督办事项)
  })
  await knex.schema.alterTable('tasks', (t) => {
    t.string('basis_kind') // instruction | meeting | superior | public | other
    t.string('basis_text')
    t.string('basis_doc')
    t.string('basis_date')
    t.string('supervision_type') // routine | special | key
    t.string('urgency') // normal | urgent | very_urgent
    // Plain columns: a reference added to an existing SQLite table would rebuild it too.
    t.integer('created_by')
    t.integer('publish_requested_by')
    t.bigInteger('assigned_at')
  })
  // When each task went out: the start of the time its progress is measured against.
  await knex.raw(`UPDATE tasks SET assigned_at = (SELECT min(at) FROM task_events e WHERE e.task_id = tasks.id AND e.kind = 'assign')`)
  // An event entered from a 反馈表 (via = 'feedback_form') or by the command line has no app account behind it.
  await allowNullActor(knex)
  await knex.schema.alterTable('task_events', (t) => {
    t.string('actor_label')
    t.string('via')
  })
  await knex.schema.alterTable('supervision_letters', (t) => {
    t.string('level').notNullable().defaultTo('letter') // reminder | letter | notice
    t.dropUnique(['year', 'seq'])
    t.unique(['level', 'year', 'seq'])
  })
  await knex.schema.createTable('letter_recipients', (t) => {
    t.increments('id')
    t.integer('letter_id').notNullable().references('supervision_letters.id')
    t.integer('task_unit_id').notNullable().references('task_units.id')
    t.string('previous_deadline')
    t.integer('reply_event_id').references('task_events.id')
    t.bigInteger('replied_at')
    t.unique(['letter_id', 'task_unit_id'])
    t.index(['task_unit_id'])
  })
  // Letters issued before: their units, found again by the names the letter kept.
  for (const l of await knex('supervision_letters').select('id', 'task_id', 'unit_names')) {
    const names: string[] = JSON.parse(l.unit_names)
    const units = await knex('task_units as tu')
      .join('org_units as u', 'u.id', 'tu.unit_id')
      .where('tu.task_id', l.task_id)
      .whereIn('u.name', names)
      .pluck('tu.id')
    if (units.length) await knex('letter_recipients').insert(units.map((id: number) => ({ letter_id: l.id, task_unit_id: id })))
  }
  await knex.schema.createTable('supervision_contacts', (t) => {
    t.increments('id')
    t.integer('task_id').notNullable().references('tasks.id')
    t.integer('task_unit_id').references('task_units.id')
    t.string('kind').notNullable() // meeting | phone | onsite
    t.string('held_on').notNullable()
    t.string('held_by').notNullable()
    t.string('counterpart').notNullable()
    t.text('agreed').notNullable()
    t.string('next_check')
    t.integer('event_id').notNullable().references('task_events.id')
    t.bigInteger('created_at').notNullable()
    t.index(['task_id'])
  })
  await knex.schema.createTable('task_evaluations', (t) => {
    t.integer('task_unit_id').primary().references('task_units.id')
    t.integer('quality').notNullable()
    t.integer('efficiency').notNullable()
    t.integer('satisfaction').notNullable()
    t.float('score').notNullable()
    t.text('comment')
    t.integer('evaluated_by').notNullable().references('users.id')
    t.bigInteger('evaluated_at').notNullable()
  })
  // A plan the city issued that names units this office does not have: held for the same review as a parsed
  // document, instead of creating units nobody checked.
  await knex.schema.createTable('plan_drafts', (t) => {
    t.increments('id')
    t.string('external_id').notNullable().unique()
    t.string('title').notNullable()
    t.string('issuer')
    t.string('doc_number')
    t.integer('year').notNullable()
    t.text('tasks').notNullable() // JSON: the issued tasks, as in the package
    t.string('sender').notNullable()
    t.bigInteger('created_at').notNullable()
  })
  // Names a plan prints that are no unit (各行业管理部门, 联席会议成员单位): once marked, later plans skip them too.
  await knex.schema.createTable('unit_ignored_names', (t) => {
    t.string('name').primary()
    t.bigInteger('created_at').notNullable()
  })
  // An office that set its 目标考核 weights before evaluations existed keeps scoring exactly as it chose.
  const weights = await knex('settings').where('key', 'score_weights').first('value')
  if (weights) {
    const parsed: Record<string, number> = JSON.parse(weights.value)
    if (parsed.evaluation === undefined)
      await knex('settings')
        .where('key', 'score_weights')
        .update({ value: JSON.stringify({ ...parsed, evaluation: 0 }) })
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('plan_drafts')
  await knex.schema.dropTable('unit_ignored_names')
  await knex.schema.dropTable('task_evaluations')
  await knex.schema.dropTable('supervision_contacts')
  await knex.schema.dropTable('letter_recipients')
  await knex.schema.alterTable('supervision_letters', (t) => {
    t.dropUnique(['level', 'year', 'seq'])
    t.dropColumn('level')
    t.unique(['year', 'seq'])
  })
  await knex.schema.alterTable('task_events', (t) => {
    t.dropColumn('actor_label')
    t.dropColumn('via')
  })
  await knex.schema.alterTable('tasks', (t) => {
    for (const c of [
      'basis_kind',
      'basis_text',
      'basis_doc',
      'basis_date',
      'supervision_type',
      'urgency',
      'created_by',
      'publish_requested_by',
      'assigned_at',
    ])
      t.dropColumn(c)
  })
  await knex.schema.alterTable('plans', (t) => t.dropColumn('kind'))
}
