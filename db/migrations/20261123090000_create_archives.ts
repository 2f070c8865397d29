// Civil-servant integrity archives (公务员诚信档案): one archive per person (一人一档), typed entries
// with their documents, content-addressed attachments, configurable grading rules with history,
// time-limited access grants, recusals, and each user's archive scope in the unit tree.
// ID numbers exist only sealed (SM4-GCM) with a keyed blind index and a masked copy for display.
import type { Knex } from 'knex'

// 分级管理 defaults (DOMAIN.md §C2: no national standard; 守信/基本守信/失信/严重失信 is common).
// Each rule: an entry of this kind (and result, if listed) within N months caps the grade.
const DEFAULT_GRADE_RULES = [
  {
    name: '受到开除、撤职处分',
    entry_kind: 'violation',
    results: ['dismissal', 'removal'],
    within_months: 60,
    grade: 'seriously_dishonest',
  },
  { name: '受到降级、记大过处分', entry_kind: 'violation', results: ['demotion', 'major_demerit'], within_months: 36, grade: 'dishonest' },
  {
    name: '受到警告、记过处分',
    entry_kind: 'violation',
    results: ['warning', 'demerit'],
    within_months: 24,
    grade: 'basically_trustworthy',
  },
  { name: '年度考核不称职', entry_kind: 'assessment', results: ['incompetent'], within_months: 24, grade: 'dishonest' },
  {
    name: '年度考核基本称职',
    entry_kind: 'assessment',
    results: ['basically_competent'],
    within_months: 12,
    grade: 'basically_trustworthy',
  },
  { name: '受到问责处理', entry_kind: 'accountability', results: null, within_months: 12, grade: 'basically_trustworthy' },
  { name: '个人有关事项瞒报', entry_kind: 'personal_report', results: ['concealed'], within_months: 24, grade: 'basically_trustworthy' },
]

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // Whose archives the user may list: own unit, own unit and below, or all (分级管理 by authority).
    t.string('archive_scope').notNullable().defaultTo('unit')
  })
  await knex.schema.createTable('people', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.string('name').notNullable()
    t.text('id_sealed').notNullable()
    t.string('id_index').notNullable().unique()
    t.string('id_masked').notNullable()
    t.string('sex').notNullable() // M | F, from the ID number
    t.string('birth_date').notNullable()
    t.integer('unit_id').notNullable().references('org_units.id')
    t.string('post')
    t.string('rank')
    t.string('political_status')
    t.string('entry_date').notNullable() // 参加工作 / 入职
    t.string('status').notNullable() // serving | transferred | retired | deceased
    t.string('status_date')
    t.integer('user_id').references('users.id') // this person's own login, if any: never their own reader
    t.string('grade').notNullable() // the grade in force
    t.string('rules_grade').notNullable() // what the rules give; a change here ends an override
    t.string('grade_source').notNullable() // rules | override
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.index(['unit_id', 'name'])
    t.index(['name'])
    t.index(['grade'])
  })
  await knex.schema.createTable('archive_entries', (t) => {
    t.increments('id')
    t.integer('person_id').notNullable().references('people.id')
    t.string('kind').notNullable()
    t.integer('year')
    t.string('result') // 查核结果, 考核等次, 处分 … per kind
    t.string('title').notNullable()
    t.string('doc_number')
    t.string('doc_date').notNullable()
    t.string('issuer').notNullable()
    t.text('details')
    t.string('effect_until') // 影响期 end for sanctions
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.index(['person_id', 'doc_date'])
    t.index(['kind', 'year'])
  })
  // Scans are stored sealed (SM4-GCM) under a keyed content address (HMAC-SHA256 with the index key):
  // the same file is kept once, and nobody can confirm a known document by hashing it.
  await knex.schema.createTable('attachments', (t) => {
    t.string('digest').primary()
    t.integer('size').notNullable()
    t.string('mime').notNullable()
    t.bigInteger('created_at').notNullable()
  })
  await knex.schema.createTable('entry_attachments', (t) => {
    t.integer('entry_id').notNullable().references('archive_entries.id')
    t.string('digest').notNullable().references('attachments.digest')
    t.string('file_name').notNullable()
    t.primary(['entry_id', 'digest'])
  })
  await knex.schema.createTable('grade_rules', (t) => {
    t.increments('id')
    t.string('name').notNullable()
    t.string('entry_kind').notNullable()
    t.text('results') // JSON array of result codes, null = any result
    t.integer('within_months').notNullable()
    t.string('grade').notNullable()
    t.boolean('enabled').notNullable().defaultTo(true)
    t.bigInteger('updated_at').notNullable()
  })
  await knex<Record<string, unknown>>('grade_rules').insert(
    DEFAULT_GRADE_RULES.map((r) => ({ ...r, results: r.results ? JSON.stringify(r.results) : null, enabled: true, updated_at: 0 })),
  )
  await knex.schema.createTable('grade_history', (t) => {
    t.increments('id')
    t.integer('person_id').notNullable().references('people.id')
    t.string('grade').notNullable()
    t.string('source').notNullable() // rules | override
    t.text('reasons').notNullable() // JSON: rule names and entries, or the override's written reason
    t.integer('decided_by').references('users.id')
    t.bigInteger('at').notNullable()
    t.index(['person_id', 'at'])
  })
  await knex.schema.createTable('archive_access', (t) => {
    t.increments('id')
    t.integer('person_id').notNullable().references('people.id')
    t.integer('requester_id').notNullable().references('users.id')
    t.text('reason').notNullable()
    t.integer('days').notNullable()
    t.string('status').notNullable() // pending | approved | rejected
    t.integer('approver_id').references('users.id')
    t.text('decision_comment')
    t.bigInteger('decided_at')
    t.bigInteger('valid_until')
    t.bigInteger('created_at').notNullable()
    t.index(['requester_id', 'person_id', 'status'])
    t.index(['status', 'created_at'])
  })
  await knex.schema.createTable('archive_recusals', (t) => {
    t.increments('id')
    t.integer('user_id').notNullable().references('users.id')
    t.integer('person_id').notNullable().references('people.id')
    t.string('reason').notNullable()
    t.bigInteger('created_at').notNullable()
    t.unique(['user_id', 'person_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'archive_recusals',
    'archive_access',
    'grade_history',
    'grade_rules',
    'entry_attachments',
    'attachments',
    'archive_entries',
    'people',
  ]) {
    await knex.schema.dropTable(table)
  }
  await knex.schema.alterTable('users', (t) => t.dropColumn('archive_scope'))
}
