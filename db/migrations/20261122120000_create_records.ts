// Records collected under catalog items (归集数据). Searchable columns are copied out of the record
// for indexed, paged queries; the full record is JSON. Fields typed idcard are never stored in plain
// text: `sealed` holds them encrypted (SM4-GCM) and subject_id_index holds a keyed blind index.
// Every record keeps its lineage (一数一源): item version, supplying unit, import batch or user, time.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_batches', (t) => {
    t.increments('id')
    t.string('item_code').notNullable()
    t.integer('item_id').notNullable().references('catalog_items.id')
    t.string('file_name').notNullable()
    t.string('mode').notNullable() // all | valid_only
    t.integer('rows').notNullable()
    t.integer('imported').notNullable()
    t.integer('rejected').notNullable()
    t.integer('late').notNullable()
    t.integer('supplier_unit_id').references('org_units.id')
    t.integer('created_by').references('users.id')
    t.string('via').notNullable().defaultTo('app')
    t.bigInteger('created_at').notNullable()
  })
  await knex.schema.createTable('records', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.string('item_code').notNullable()
    t.integer('item_id').notNullable().references('catalog_items.id')
    t.string('subject_name').notNullable()
    t.string('subject_type')
    t.string('subject_code') // USCC of an organisation or 个体工商户
    t.string('subject_id_index') // blind index of a natural person's ID number
    t.string('subject_key').notNullable() // what duplicates are judged by: code, ID index or name
    t.string('doc_number')
    t.string('decision_date') // YYYY-MM-DD
    t.string('deadline_date') // 7th working day after the decision
    t.string('reported_on').notNullable()
    t.boolean('is_late').notNullable().defaultTo(false)
    t.text('data').notNullable()
    t.text('sealed') // JSON: field code → sealed value
    t.integer('supplier_unit_id').references('org_units.id')
    t.integer('batch_id').references('import_batches.id')
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.index(['item_code', 'decision_date'])
    t.index(['item_code', 'subject_name'])
    t.index(['subject_code'])
    t.index(['subject_id_index'])
    t.index(['item_code', 'is_late', 'decision_date'])
    t.index(['supplier_unit_id', 'decision_date'])
    t.index(['batch_id'])
  })
  // The same document for the same subject under the same item is one record (判重).
  await knex.raw('CREATE UNIQUE INDEX records_document ON records (item_code, doc_number, subject_key) WHERE doc_number IS NOT NULL')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('records')
  await knex.schema.dropTable('import_batches')
}
