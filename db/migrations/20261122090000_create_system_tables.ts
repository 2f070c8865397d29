// Accounts, sessions' lockout counters, organisation units, dictionaries, settings and the
// append-only audit and login logs. Timestamps are integer milliseconds (UTC) everywhere.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings', (t) => {
    t.string('key').primary()
    t.text('value').notNullable()
  })

  await knex.schema.createTable('org_units', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.integer('parent_id').references('org_units.id').onDelete('RESTRICT')
    t.string('name').notNullable()
    t.string('kind').notNullable()
    t.string('credit_code')
    t.string('region_code')
    t.integer('sort_order').notNullable().defaultTo(0)
    t.boolean('enabled').notNullable().defaultTo(true)
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.index(['parent_id'])
  })
  // Sibling names are unique; NULL parents are compared through ifnull so top-level names are unique too.
  await knex.raw('CREATE UNIQUE INDEX org_units_sibling_name ON org_units (ifnull(parent_id, 0), name)')

  await knex.schema.createTable('users', (t) => {
    t.increments('id')
    t.string('username').notNullable()
    t.string('display_name').notNullable()
    t.string('password_hash').notNullable()
    t.boolean('must_change_password').notNullable().defaultTo(false)
    t.boolean('disabled').notNullable().defaultTo(false)
    t.integer('unit_id').references('org_units.id').onDelete('RESTRICT')
    t.bigInteger('password_changed_at').notNullable()
    t.bigInteger('last_login_at')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
  })
  await knex.raw('CREATE UNIQUE INDEX users_username ON users (username COLLATE NOCASE)')

  await knex.schema.createTable('user_roles', (t) => {
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE')
    t.string('role').notNullable()
    t.primary(['user_id', 'role'])
  })

  // Failed-login counters keyed by the name typed, whether or not such a user exists, so the
  // lockout itself never reveals which accounts exist.
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('username_key').primary()
    t.integer('failures').notNullable().defaultTo(0)
    t.bigInteger('locked_until')
    t.bigInteger('updated_at').notNullable()
  })

  await knex.schema.createTable('dict_types', (t) => {
    t.string('code').primary()
    t.string('name').notNullable()
    t.string('description')
    t.boolean('is_system').notNullable().defaultTo(false)
  })
  await knex.schema.createTable('dict_items', (t) => {
    t.increments('id')
    t.string('type_code').notNullable().references('dict_types.code').onDelete('RESTRICT')
    t.string('value').notNullable()
    t.string('label').notNullable()
    t.integer('sort_order').notNullable().defaultTo(0)
    t.boolean('enabled').notNullable().defaultTo(true)
    t.unique(['type_code', 'value'])
  })

  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id')
    t.bigInteger('at').notNullable()
    t.integer('actor_user_id')
    t.string('actor_name')
    t.string('procedure').notNullable()
    t.text('affected_ids').notNullable().defaultTo('[]')
    t.string('result').notNullable()
    t.string('via').notNullable().defaultTo('app')
    t.string('prev_hash').notNullable()
    t.string('hash').notNullable()
    t.index(['at'])
    t.index(['actor_name', 'at'])
    t.index(['procedure', 'at'])
  })
  await knex.schema.createTable('login_log', (t) => {
    t.increments('id')
    t.bigInteger('at').notNullable()
    t.string('username').notNullable()
    t.string('result').notNullable()
    t.string('via').notNullable().defaultTo('app')
    t.index(['at'])
    t.index(['username', 'at'])
  })
  // Append-only: the application has no code path that changes or deletes log rows, and the
  // database refuses it too (等保 安全审计: protect records against deletion or modification).
  for (const table of ['audit_log', 'login_log']) {
    await knex.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`)
    await knex.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`)
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'login_log',
    'audit_log',
    'dict_items',
    'dict_types',
    'login_throttle',
    'user_roles',
    'users',
    'org_units',
    'settings',
  ]) {
    await knex.schema.dropTableIfExists(t)
  }
}
