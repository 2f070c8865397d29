// Transfer packages (数据交换包): this installation's key pairs (private keys sealed with the field key), the peers'
// public keys, and the log of every package written or read — its sequence number, digest and, for packages sent,
// the watermark that makes the next export incremental and the receipt that acknowledged it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('exchange_keys', (t) => {
    t.increments('id')
    t.string('suite').notNullable()
    t.string('fingerprint').notNullable().unique()
    t.text('public_pem').notNullable()
    t.text('private_sealed').notNullable()
    t.bigInteger('created_at').notNullable()
    t.bigInteger('retired_at') // rotated out: still opens old packages, never signs or receives new ones
  })
  await knex.schema.createTable('exchange_peers', (t) => {
    t.increments('id')
    t.string('name').notNullable()
    t.string('suite').notNullable()
    t.string('fingerprint').notNullable().unique()
    t.text('public_pem').notNullable()
    t.integer('imported_by').references('users.id')
    t.bigInteger('imported_at').notNullable()
    t.bigInteger('retired_at')
  })
  await knex.schema.createTable('exchange_packages', (t) => {
    t.increments('id')
    t.string('direction').notNullable() // out | in
    t.string('peer_fingerprint').notNullable() // the recipient (out) or the sender's key (in)
    t.string('peer_name').notNullable()
    t.string('kind').notNullable() // data | tasks | catalog | receipt
    t.integer('sequence').notNullable()
    t.string('digest').notNullable()
    t.string('file_name').notNullable()
    t.bigInteger('size').notNullable()
    t.boolean('full').notNullable().defaultTo(false)
    t.text('counts').notNullable() // JSON: rows per table
    t.text('watermark') // out: JSON of the high-water marks this package reached
    t.text('warnings') // in: JSON, e.g. a gap in the sender's sequence
    t.integer('acknowledged_by') // out: the receipt package (in) that acknowledged it
    t.bigInteger('acknowledged_at')
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.unique(['direction', 'peer_fingerprint', 'kind', 'sequence'])
    t.index(['digest'])
  })
  await knex.schema.alterTable('records', (t) => {
    t.integer('acknowledged_in').references('exchange_packages.id') // the package whose receipt covered this record
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('records', (t) => t.dropColumn('acknowledged_in'))
  await knex.schema.dropTable('exchange_packages')
  await knex.schema.dropTable('exchange_peers')
  await knex.schema.dropTable('exchange_keys')
}
