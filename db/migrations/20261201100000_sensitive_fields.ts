// Personal identifiers at rest, closed off:
// - "sensitive" becomes a property of a catalog data item: such values are sealed and shown masked like fields typed
//   idcard (法定代表人证件号码 was stored in clear). On for every ID-like item already defined; values recorded before
//   are sealed at the next start, when the field key is loaded (core/catalog/sensitive-values.ts).
// - people.birth_date goes: it held digits 7–14 of the ID number in clear, and with the masked copy (digits 1–6 and
//   15–18) it gave the whole number back. The birth date is read from the sealed number when a screen needs it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('catalog_fields', (t) => {
    t.boolean('sensitive').notNullable().defaultTo(false)
  })
  await knex('catalog_fields')
    .where('type', 'idcard')
    .orWhere('code', 'like', '%ZJHM')
    .orWhere('name', 'like', '%证件号%')
    .orWhere('name', 'like', '%身份证%')
    .update({ sensitive: true })
  // Native DROP COLUMN rewrites each row; secure_delete (set on every connection) zeroes the freed space.
  await knex.raw('ALTER TABLE people DROP COLUMN birth_date')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('people', (t) => {
    t.string('birth_date').notNullable().defaultTo('')
  })
  await knex.schema.alterTable('catalog_fields', (t) => {
    t.dropColumn('sensitive')
  })
}
