import type { Knex } from 'knex'

// The 归集数据 statistics strip read from counters instead of counting a million rows on every visit. Triggers keep
// them in the same transaction as every write to `records`, whatever code path writes (import, entry, correction,
// repair, revocation, the city's rejection, a rollback), so they are exact by construction:
//   record_counts        rows, late rows and rejected rows per catalog item and supplier unit (0: none)
//   record_disclosure_days  live rows (not revoked, not repaired) per item and last day of disclosure
// What depends on today (in disclosure, expiring) sums the second over a date range; the few rows repaired with a
// date still ahead are counted from the records themselves (index records_repaired_ahead).
// A later migration that rebuilds `records` must create these triggers again (tests/core/record-counters.test.ts).

const COUNT_COLUMNS = ['item_code', 'supplier_unit_id', 'is_late', 'rejected_at', 'disclosure_ends_on', 'revoked_on', 'repaired_on']

const add = (row: 'NEW' | 'OLD', sign: 1 | -1) => `
  INSERT INTO record_counts (item_code, unit_id, total, late, rejected)
    VALUES (${row}.item_code, coalesce(${row}.supplier_unit_id, 0), ${sign}, ${sign} * (${row}.is_late <> 0), ${sign} * (${row}.rejected_at IS NOT NULL))
    ON CONFLICT (item_code, unit_id) DO UPDATE SET
      total = total + excluded.total, late = late + excluded.late, rejected = rejected + excluded.rejected;
  INSERT INTO record_disclosure_days (item_code, ends_on, n)
    SELECT ${row}.item_code, ${row}.disclosure_ends_on, ${sign}
    WHERE ${row}.disclosure_ends_on IS NOT NULL AND ${row}.revoked_on IS NULL AND ${row}.repaired_on IS NULL
    ON CONFLICT (item_code, ends_on) DO UPDATE SET n = n + excluded.n;`

export const RECORD_COUNTER_TRIGGERS = ['records_count_insert', 'records_count_delete', 'records_count_update']

export async function createRecordCounterTriggers(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TRIGGER records_count_insert AFTER INSERT ON records BEGIN ${add('NEW', 1)} END`)
  await knex.raw(`CREATE TRIGGER records_count_delete AFTER DELETE ON records BEGIN ${add('OLD', -1)} END`)
  const changed = COUNT_COLUMNS.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')
  await knex.raw(`CREATE TRIGGER records_count_update AFTER UPDATE ON records WHEN ${changed} BEGIN ${add('OLD', -1)} ${add('NEW', 1)} END`)
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('record_counts', (t) => {
    t.string('item_code').notNullable()
    t.integer('unit_id').notNullable() // 0: no supplier unit (a foreign key cannot hold it)
    t.integer('total').notNullable().defaultTo(0)
    t.integer('late').notNullable().defaultTo(0)
    t.integer('rejected').notNullable().defaultTo(0)
    t.primary(['item_code', 'unit_id'])
  })
  await knex.schema.createTable('record_disclosure_days', (t) => {
    t.string('item_code').notNullable()
    t.string('ends_on').notNullable()
    t.integer('n').notNullable().defaultTo(0)
    t.primary(['item_code', 'ends_on'])
  })
  await knex.raw(
    'CREATE INDEX records_repaired_ahead ON records (repaired_on) WHERE repaired_on IS NOT NULL AND revoked_on IS NULL AND disclosure_ends_on IS NOT NULL',
  )
  // The disclosure filters ask for rows not revoked and "not repaired, or repaired after today": the old index's
  // `repaired_on IS NULL` could never be implied by that, so they scanned the item (59 ms at 50,000 records).
  await knex.raw('DROP INDEX IF EXISTS records_live_disclosure')
  await knex.raw(
    'CREATE INDEX records_live_disclosure ON records (item_code, disclosure_ends_on, repairable_from) WHERE revoked_on IS NULL',
  )
  await knex.raw(`INSERT INTO record_counts (item_code, unit_id, total, late, rejected)
    SELECT item_code, coalesce(supplier_unit_id, 0), count(*), sum(is_late <> 0), sum(rejected_at IS NOT NULL) FROM records
    GROUP BY item_code, coalesce(supplier_unit_id, 0)`)
  await knex.raw(`INSERT INTO record_disclosure_days (item_code, ends_on, n)
    SELECT item_code, disclosure_ends_on, count(*) FROM records
    WHERE disclosure_ends_on IS NOT NULL AND revoked_on IS NULL AND repaired_on IS NULL
    GROUP BY item_code, disclosure_ends_on`)
  await createRecordCounterTriggers(knex)
}

export async function down(knex: Knex): Promise<void> {
  for (const name of RECORD_COUNTER_TRIGGERS) await knex.raw(`DROP TRIGGER IF EXISTS ${name}`)
  await knex.raw('DROP INDEX IF EXISTS records_repaired_ahead')
  await knex.raw('DROP INDEX IF EXISTS records_live_disclosure')
  await knex.raw(
    'CREATE INDEX records_live_disclosure ON records (item_code, disclosure_ends_on, repairable_from) WHERE repaired_on IS NULL AND revoked_on IS NULL',
  )
  await knex.schema.dropTable('record_disclosure_days')
  await knex.schema.dropTable('record_counts')
}
