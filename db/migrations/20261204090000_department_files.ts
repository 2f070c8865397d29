// Department files as they are really filled in (issue 17 §1): dictionary entries get aliases (the national
// 双公示 wording 法人及非法人组织, 护照号 …) matched after normalisation; 证件号码 is checked by its 证件类型; 失信等级
// becomes a per-record data item of every 失信 item (defaulting from the item); disclosure rules become editable,
// the shipped ones marked as such.
import type { Knex } from 'knex'

/** Known national and provincial variants of the shipped labels. */
export const SHIPPED_ALIASES: Record<string, Record<string, string[]>> = {
  subject_type: {
    legal: ['法人及非法人组织', '法人和其他组织', '法人及其他组织', '法人'],
    individual_business: ['个体户'],
    natural_person: ['个人'],
  },
  id_doc_type: {
    id_card: ['身份证', '居民身份证号', '身份证号码'],
    passport: ['护照号', '护照号码'],
    hk_macao_permit: ['港澳通行证', '回乡证'],
    taiwan_permit: ['台胞证'],
    foreign_permanent: ['外国人永久居留证'],
  },
  list_kind: {
    black: ['严重失信主体名单', '严重失信名单', '失信联合惩戒对象名单'],
    red: ['守信激励对象名单', '守信红名单'],
    watch: ['重点关注对象名单'],
  },
  dishonesty_level: {
    minor: ['轻微失信'],
    general: ['一般失信'],
    serious: ['严重失信'],
  },
}

export const LEVEL_FIELD = { code: 'SXDJ', name: '失信等级' }

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dict_items', (t) => t.text('aliases')) // JSON array of strings; null = none
  for (const [type, byValue] of Object.entries(SHIPPED_ALIASES))
    for (const [value, aliases] of Object.entries(byValue))
      await knex('dict_items')
        .where({ type_code: type, value })
        .update({ aliases: JSON.stringify(aliases) })
  const last = await knex('dict_items').where('type_code', 'id_doc_type').max({ m: 'sort_order' }).first()
  if (!(await knex('dict_items').where({ type_code: 'id_doc_type', value: 'other' }).first('id')))
    await knex('dict_items').insert({
      type_code: 'id_doc_type',
      value: 'other',
      label: '其他',
      sort_order: Number(last?.m ?? 0) + 10,
      enabled: true,
    })

  // Each number checked by the type beside it.
  for (const [numberCode, typeCode] of [
    ['ZJHM', 'ZJLX'],
    ['FRDB_ZJHM', 'FRDB_ZJLX'],
  ] as const) {
    const items = await knex('catalog_fields').where('code', typeCode).where('dict_type_code', 'id_doc_type').pluck('item_id')
    if (items.length)
      await knex('catalog_fields')
        .whereIn('item_id', items)
        .where('code', numberCode)
        .whereNull('check_rule')
        .update({ check_rule: `id_doc:${typeCode}` })
  }

  // 失信等级 per record, on every version of every 失信 item that does not have one yet.
  const badItems = await knex('catalog_items').where('info_class', 'bad').pluck('id')
  for (const itemId of badItems) {
    if (await knex('catalog_fields').where({ item_id: itemId, dict_type_code: 'dishonesty_level' }).first('id')) continue
    const max = await knex('catalog_fields').where('item_id', itemId).max({ m: 'sort_order' }).first()
    await knex('catalog_fields').insert({
      item_id: itemId,
      sort_order: Number(max?.m ?? 0) + 10,
      code: LEVEL_FIELD.code,
      name: LEVEL_FIELD.name,
      type: 'dict',
      max_length: null,
      required: false,
      dict_type_code: 'dishonesty_level',
      check_rule: null,
      sensitive: false,
    })
  }

  await knex.schema.alterTable('disclosure_rules', (t) => {
    t.boolean('shipped').notNullable().defaultTo(false)
    t.string('note') // why the office added or changed it
    t.integer('updated_by').references('users.id')
    t.bigInteger('updated_at')
  })
  await knex('disclosure_rules').update({ shipped: true })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('disclosure_rules', (t) => {
    t.dropColumn('shipped')
    t.dropColumn('note')
    t.dropColumn('updated_by')
    t.dropColumn('updated_at')
  })
  await knex('catalog_fields').where({ code: LEVEL_FIELD.code, dict_type_code: 'dishonesty_level' }).del()
  await knex('catalog_fields').whereIn('check_rule', ['id_doc:ZJLX', 'id_doc:FRDB_ZJLX']).update({ check_rule: null })
  await knex('dict_items').where({ type_code: 'id_doc_type', value: 'other' }).del()
  await knex.schema.alterTable('dict_items', (t) => t.dropColumn('aliases'))
}
