// The office's own holiday table (overrides the packaged State Council data and carries years the
// package does not have yet) and the disclosure-period rules for 失信 records, versioned by the date
// each regime took effect (DOMAIN.md §A3). Rules are data, so a new regime is a row, not a release.
import type { Knex } from 'knex'

export const DISCLOSURE_RULES = [
  // 发改办财金〔2019〕527号: 一般 3–12 months, 严重 6–36 months, from the decision date.
  { effective_from: '2019-07-01', level: 'general', min_months: 3, max_months: 12, basis: '发改办财金〔2019〕527号' },
  { effective_from: '2019-07-01', level: 'serious', min_months: 6, max_months: 36, basis: '发改办财金〔2019〕527号' },
  // 国家发展改革委令第58号 (2023-05-01): penalties at least 3 months, at most 3 years; 1 year minimum
  // for 特种设备/安全生产/消防, taken here as the 严重 minimum. Local practice; check before relying on it.
  { effective_from: '2023-05-01', level: 'general', min_months: 3, max_months: 36, basis: '国家发展改革委令第58号' },
  { effective_from: '2023-05-01', level: 'serious', min_months: 12, max_months: 36, basis: '国家发展改革委令第58号' },
  // 《信用修复管理办法》(2026-04-01): 轻微 at most 3 months (may be undisclosed), 一般 3–12, 严重 12–36.
  { effective_from: '2026-04-01', level: 'minor', min_months: 0, max_months: 3, basis: '《信用修复管理办法》（2026年4月1日起施行）' },
  { effective_from: '2026-04-01', level: 'general', min_months: 3, max_months: 12, basis: '《信用修复管理办法》（2026年4月1日起施行）' },
  { effective_from: '2026-04-01', level: 'serious', min_months: 12, max_months: 36, basis: '《信用修复管理办法》（2026年4月1日起施行）' },
]

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('holiday_overrides', (t) => {
    t.string('date').primary() // YYYY-MM-DD
    t.string('kind').notNullable() // holiday | workday
    t.string('name').notNullable()
    t.bigInteger('updated_at').notNullable()
  })
  // A year listed here has its full arrangement entered by the office (the State Council notice).
  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary()
    t.string('source').notNullable()
    t.bigInteger('confirmed_at').notNullable()
  })
  await knex.schema.createTable('disclosure_rules', (t) => {
    t.increments('id')
    t.string('effective_from').notNullable()
    t.string('level').notNullable()
    t.integer('min_months').notNullable()
    t.integer('max_months').notNullable()
    t.string('basis').notNullable()
    t.unique(['effective_from', 'level'])
  })
  await knex<Record<string, unknown>>('disclosure_rules').insert(DISCLOSURE_RULES)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disclosure_rules')
  await knex.schema.dropTable('calendar_years')
  await knex.schema.dropTable('holiday_overrides')
}
