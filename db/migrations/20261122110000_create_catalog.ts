// 信用信息归集目录: catalog items, versioned (an approved version is never edited; a change is a new
// version that goes through approval again), each with its data items. Reference data: the national
// catalog's categories and the national 双公示 行政许可/行政处罚 items with their XK_*/CF_* fields.
import type { Knex } from 'knex'

const CATALOG_CATEGORIES: Array<[code: string, name: string, parent: string | null]> = [
  ['01', '登记注册基本信息', null],
  ['02', '司法裁判及执行信息', null],
  ['03', '行政管理信息', null],
  ['0301', '行政许可', '03'],
  ['0302', '行政处罚', '03'],
  ['0303', '行政强制', '03'],
  ['0304', '行政确认', '03'],
  ['0305', '行政征收', '03'],
  ['0306', '行政给付', '03'],
  ['0307', '行政裁决', '03'],
  ['0308', '行政补偿', '03'],
  ['0309', '行政奖励', '03'],
  ['0310', '行政检查', '03'],
  ['04', '职称和职业资格信息', null],
  ['05', '经营（活动）异常名录（状态）信息', null],
  ['06', '严重失信主体名单信息', null],
  ['07', '合同履行信息', null],
  ['08', '信用承诺及履行情况信息', null],
  ['09', '信用评价结果信息', null],
  ['10', '遵守法律法规情况信息', null],
  ['11', '诚实守信相关荣誉信息', null],
  ['12', '经营主体自愿提供的信息', null],
]

type Field = [
  code: string,
  name: string,
  type: string,
  maxLength: number | null,
  required: boolean,
  dict: string | null,
  rule: string | null,
]

// The subject (行政相对人) block shared by both 双公示 item sets.
const SUBJECT: Field[] = [
  ['XDR_MC', '行政相对人名称', 'text', 200, true, null, null],
  ['XDR_LB', '行政相对人类别', 'dict', null, true, 'subject_type', null],
  ['XDR_SHXYM', '统一社会信用代码', 'uscc', 18, false, null, 'subject_code'],
  ['XDR_GSZC', '工商注册号', 'text', 50, false, null, null],
  ['XDR_ZZJG', '组织机构代码', 'text', 9, false, null, null],
  ['XDR_SWDJ', '税务登记号', 'text', 50, false, null, null],
  ['XDR_SYDW', '事业单位证书号', 'text', 50, false, null, null],
  ['XDR_SHZZ', '社会组织登记证号', 'text', 50, false, null, null],
  ['FRDB', '法定代表人', 'text', 50, false, null, null],
  ['FRDB_ZJLX', '法定代表人证件类型', 'dict', null, false, 'id_doc_type', null],
  ['FRDB_ZJHM', '法定代表人证件号码', 'text', 64, false, null, null],
  ['ZJLX', '证件类型', 'dict', null, false, 'id_doc_type', null],
  ['ZJHM', '证件号码', 'idcard', 18, false, null, null],
]

const LICENSE_FIELDS: Field[] = [
  ...SUBJECT,
  ['XK_XKWS', '行政许可决定文书名称', 'text', 64, true, null, null],
  ['XK_WSH', '行政许可决定文书号', 'text', 64, true, null, 'document_number'],
  ['XK_XKLB', '许可类别', 'dict', null, true, 'license_category', null],
  ['XK_XKZS', '许可证书名称', 'text', 64, false, null, null],
  ['XK_XKBH', '许可编号', 'text', 64, false, null, null],
  ['XK_NR', '许可内容', 'text', 4000, true, null, null],
  ['XK_JDRQ', '许可决定日期', 'date', null, true, null, 'decision_date'],
  ['XK_YXQZ', '有效期自', 'date', null, true, null, null],
  ['XK_YXQZI', '有效期至', 'date', null, true, null, 'not_before:XK_YXQZ'],
  ['XK_XKJG', '许可机关', 'text', 200, true, null, null],
  ['XK_XKJGDM', '许可机关统一社会信用代码', 'uscc', 18, true, null, null],
  ['XK_ZT', '当前状态', 'dict', null, true, 'license_status', null],
  ['XK_LYDW', '数据来源单位', 'text', 200, true, null, null],
  ['XK_LYDWDM', '数据来源单位统一社会信用代码', 'uscc', 18, true, null, null],
  ['BZ', '备注', 'text', 512, false, null, null],
]

const PENALTY_FIELDS: Field[] = [
  ...SUBJECT,
  ['CF_WSH', '行政处罚决定书文号', 'text', 64, true, null, 'document_number'],
  ['CF_WFXW', '违法行为类型', 'text', 2000, true, null, null],
  ['CF_SY', '违法事实', 'text', 5000, true, null, null],
  ['CF_YJ', '处罚依据', 'text', 2000, true, null, null],
  ['CF_CFLB', '处罚类别', 'dict', null, true, 'penalty_category', null],
  ['CF_NR', '处罚内容', 'text', 4000, true, null, null],
  ['CF_NR_FK', '罚款金额（万元）', 'decimal', null, false, null, 'money_wan'],
  ['CF_NR_WFFF', '没收违法所得、没收非法财物的金额（万元）', 'decimal', null, false, null, 'money_wan'],
  ['CF_NR_ZKDX', '暂扣或吊销证照名称及编号', 'text', 200, false, null, null],
  ['CF_JDRQ', '处罚决定日期', 'date', null, true, null, 'decision_date'],
  ['CF_YXQ', '处罚有效期', 'date', null, true, null, 'not_before:CF_JDRQ'],
  ['CF_GSJZQ', '公示截止期', 'date', null, false, null, 'not_before:CF_JDRQ'],
  ['CF_CFJG', '处罚机关', 'text', 200, true, null, null],
  ['CF_CFJGDM', '处罚机关统一社会信用代码', 'uscc', 18, true, null, null],
  ['CF_SJLY', '数据来源单位', 'text', 200, true, null, null],
  ['CF_SJLYDM', '数据来源单位统一社会信用代码', 'uscc', 18, true, null, null],
  ['BZ', '备注', 'text', 512, false, null, null],
]

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_categories', (t) => {
    t.string('code').primary()
    t.string('name').notNullable()
    t.string('parent_code').references('catalog_categories.code')
  })
  await knex.schema.createTable('catalog_items', (t) => {
    t.increments('id')
    t.string('code').notNullable()
    t.integer('version').notNullable()
    t.string('status').notNullable() // draft | submitted | approved | superseded | retired
    t.string('category_code').notNullable().references('catalog_categories.code')
    t.string('name').notNullable()
    t.string('info_class').notNullable() // basic | good | bad
    t.string('dishonesty_level') // minor | general | serious, for bad
    t.text('subject_types').notNullable() // JSON array of subject_type values
    t.integer('supplier_unit_id').references('org_units.id').onDelete('RESTRICT')
    t.string('disclosure').notNullable()
    t.string('update_frequency').notNullable()
    t.string('collection_method').notNullable()
    t.text('legal_basis')
    t.string('source').notNullable()
    t.integer('disclosure_months') // null: follows the disclosure-rule table
    t.integer('retention_years')
    t.integer('created_by').references('users.id')
    t.integer('reviewed_by').references('users.id')
    t.bigInteger('reviewed_at')
    t.text('review_comment')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.unique(['code', 'version'])
    t.index(['status', 'code'])
  })
  await knex.schema.createTable('catalog_fields', (t) => {
    t.increments('id')
    t.integer('item_id').notNullable().references('catalog_items.id').onDelete('CASCADE')
    t.integer('sort_order').notNullable()
    t.string('code').notNullable()
    t.string('name').notNullable()
    t.string('type').notNullable() // text | integer | decimal | date | uscc | idcard | dict
    t.integer('max_length')
    t.boolean('required').notNullable()
    t.string('dict_type_code').references('dict_types.code')
    t.string('check_rule')
    t.unique(['item_id', 'code'])
  })

  await knex('dict_types').insert({ code: 'license_status', name: '许可当前状态', is_system: true })
  await knex('dict_items').insert(
    [
      ['valid', '有效'],
      ['revoked', '撤销'],
      ['cancelled', '注销'],
    ].map(([value, label], i) => ({ type_code: 'license_status', value, label, sort_order: (i + 1) * 10, enabled: true })),
  )
  await knex('catalog_categories').insert(CATALOG_CATEGORIES.map(([code, name, parent]) => ({ code, name, parent_code: parent })))

  const now = Date.now()
  const items = [
    {
      code: 'SGS_XK',
      category_code: '0301',
      name: '行政许可信息',
      info_class: 'basic',
      dishonesty_level: null,
      fields: LICENSE_FIELDS,
      legal_basis: '《中华人民共和国行政许可法》；国务院办公厅关于“双公示”工作的有关要求',
    },
    {
      code: 'SGS_CF',
      category_code: '0302',
      name: '行政处罚信息',
      info_class: 'bad',
      dishonesty_level: 'general',
      fields: PENALTY_FIELDS,
      legal_basis: '《中华人民共和国行政处罚法》；国务院办公厅关于“双公示”工作的有关要求',
    },
  ]
  for (const { fields, ...item } of items) {
    const [id] = (await knex<Record<string, unknown>>('catalog_items').insert({
      ...item,
      version: 1,
      status: 'approved',
      subject_types: JSON.stringify(['legal', 'individual_business', 'natural_person']),
      disclosure: 'public',
      update_frequency: 'realtime',
      collection_method: 'excel',
      source: 'national',
      created_at: now,
      updated_at: now,
      reviewed_at: now,
    })) as number[]
    // (A migration writes the table as it was then: untyped, not as db/tables.ts describes it now.)
    await knex<Record<string, unknown>>('catalog_fields').insert(
      fields.map(([code, name, type, maxLength, required, dict, rule], i) => ({
        item_id: id,
        sort_order: (i + 1) * 10,
        code,
        name,
        type,
        max_length: maxLength,
        required,
        dict_type_code: dict,
        check_rule: rule,
      })),
    )
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('catalog_fields')
  await knex.schema.dropTable('catalog_items')
  await knex.schema.dropTable('catalog_categories')
  await knex('dict_items').where('type_code', 'license_status').del()
  await knex('dict_types').where('code', 'license_status').del()
}
