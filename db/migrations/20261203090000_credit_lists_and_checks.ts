// 信用应用: red and black lists (名单) with their validity, the 核查登记 of every credit check (逢办必查) and its results,
// 联合奖惩 cases with their feedback, and 信用承诺 with the 违诺 decision. A subject is keyed the way records are
// (USCC, `id:` + the blind index of an ID number, or `name:` + the name), so one lookup finds it everywhere; a natural
// person's ID number is sealed and kept masked beside it. A 违诺 becomes a record under the catalog item seeded here.
import type { Knex } from 'knex'

const DICTS: Array<[code: string, name: string, items: Array<[string, string]>, description?: string]> = [
  // Built-in kinds carry their meaning (守信 / 失信 / 重点关注); a kind an office adds says its own by its value.
  [
    'list_kind',
    '名单类型',
    [
      ['red', '红名单'],
      ['black', '黑名单'],
      ['watch', '重点关注名单'],
    ],
    '核查时：值以 red_ 开头的类型（及 red）按守信激励，以 black_ 开头的（及 black）按失信惩戒，其余按重点关注计入核查结论。',
  ],
  // After the 全国失信惩戒措施基础清单 and the 守信激励 measures: values starting with r_ are incentives.
  [
    'sanction_measure',
    '联合奖惩措施',
    [
      ['p_bidding', '限制参与招标投标'],
      ['p_procurement', '限制参与政府采购'],
      ['p_subsidy', '限制获得财政补助补贴'],
      ['p_land', '限制取得政府供应土地'],
      ['p_supervision', '加强日常监管，提高抽查比例和频次'],
      ['p_approval', '行政审批从严审核'],
      ['p_honour', '限制参加评先评优'],
      ['p_position', '限制担任国有企业法定代表人、董事、监事、高级管理人员'],
      ['p_consumption', '限制高消费'],
      ['r_fasttrack', '行政审批“绿色通道”、容缺受理'],
      ['r_funding', '同等条件下优先安排财政资金支持'],
      ['r_lesscheck', '降低抽查比例和频次'],
      ['r_honour', '评先评优同等条件下优先考虑'],
    ],
    '值以 r_ 开头的是守信激励措施，其余为失信惩戒措施（登记案例时按核查结论分别列出）。',
  ],
  [
    'commitment_type',
    '信用承诺类型',
    [
      ['approval', '审批替代型'],
      ['tolerance', '容缺受理型'],
      ['repair', '信用修复型'],
      ['voluntary', '主动型'],
      ['industry', '行业自律型'],
    ],
  ],
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

/** 信用承诺违诺信息: what a 违诺 decision becomes in the catalog (category 08), a 失信 item like 行政处罚. */
const BREACH_FIELDS: Field[] = [
  ['XDR_MC', '承诺主体名称', 'text', 200, true, null, null],
  ['XDR_LB', '承诺主体类别', 'dict', null, true, 'subject_type', null],
  ['XDR_SHXYM', '统一社会信用代码', 'uscc', 18, false, null, 'subject_code'],
  ['ZJHM', '身份证号码', 'idcard', 18, false, null, null],
  ['CN_LX', '承诺类型', 'dict', null, true, 'commitment_type', null],
  ['CN_SY', '承诺事由', 'text', 500, true, null, null],
  ['CN_RQ', '承诺日期', 'date', null, true, null, null],
  ['WN_QK', '违诺情况', 'text', 2000, true, null, null],
  ['WN_WSH', '违诺认定文书号', 'text', 64, true, null, 'document_number'],
  ['WN_RDRQ', '违诺认定日期', 'date', null, true, null, 'decision_date'],
  ['WN_RDJG', '认定单位', 'text', 200, true, null, null],
  ['BZ', '备注', 'text', 512, false, null, null],
]

const BREACH_ITEM_CODE = 'XYCN_WN'

export async function up(knex: Knex): Promise<void> {
  for (const [code, name, items, description] of DICTS) {
    await knex('dict_types').insert({ code, name, is_system: true, description: description ?? null })
    await knex('dict_items').insert(
      items.map(([value, label], i) => ({ type_code: code, value, label, sort_order: (i + 1) * 10, enabled: true })),
    )
  }

  const subject = (t: Knex.CreateTableBuilder) => {
    t.string('subject_name').notNullable()
    t.string('subject_type').notNullable() // legal | individual_business | natural_person | unknown (name only)
    t.string('subject_code') // USCC, public
    t.text('subject_id_sealed') // a natural person's ID number, SM4-GCM
    t.string('subject_id_masked')
    t.string('subject_key').notNullable()
    t.index(['subject_key'])
    t.index(['subject_name'])
  }

  await knex.schema.createTable('credit_list_entries', (t) => {
    t.increments('id')
    subject(t)
    t.string('list_kind').notNullable()
    t.string('decided_by').notNullable() // 认定单位
    t.string('basis').notNullable() // 认定依据（文号）
    t.string('listed_on').notNullable()
    t.string('valid_until') // null: until removed
    t.string('removed_on')
    t.string('removed_reason')
    t.string('source').notNullable() // city | local | import
    t.string('external_id') // the city's id: incremental packages update by it
    t.integer('package_id').references('exchange_packages.id')
    t.integer('batch_id')
    t.text('note')
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.unique(['subject_key', 'list_kind', 'basis']) // one entry per subject, kind and decision: a repeat merges
    t.index(['list_kind', 'removed_on', 'valid_until'])
    t.index(['external_id'])
  })

  await knex.schema.createTable('credit_checks', (t) => {
    t.increments('id')
    t.integer('year').notNullable()
    t.integer('seq').notNullable()
    t.string('purpose').notNullable() // 核查事项 / 用途
    t.string('file_name') // a batch check: the workbook checked
    t.integer('subject_count').notNullable()
    t.integer('hit_count').notNullable()
    t.integer('checked_by').references('users.id') // null: checked from the command line
    t.string('checked_by_name') // the operating-system account of a command-line check
    t.integer('unit_id').references('org_units.id')
    t.bigInteger('checked_at').notNullable()
    t.unique(['year', 'seq'])
  })
  await knex.schema.createTable('credit_check_results', (t) => {
    t.increments('id')
    t.integer('check_id').notNullable().references('credit_checks.id')
    t.integer('seq').notNullable()
    t.string('subject_name').notNullable()
    t.string('subject_shown') // USCC in full, an ID number masked
    t.string('subject_key')
    t.string('verdict').notNullable() // reward | punish | watch | clean | invalid
    t.boolean('name_only').notNullable().defaultTo(false)
    t.string('problem') // why a subject could not be checked (message key)
    t.text('hits').notNullable() // JSON: what was found, never a full ID number
    t.index(['check_id', 'seq'])
  })

  await knex.schema.createTable('sanction_cases', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    t.integer('check_result_id').references('credit_check_results.id')
    t.string('subject_name').notNullable()
    t.string('subject_shown')
    t.string('subject_key').notNullable()
    t.string('direction').notNullable() // punish | reward
    t.string('basis_source').notNullable() // list | record | commitment
    t.string('basis_text').notNullable()
    t.string('measure') // sanction_measure, null when not applied
    t.boolean('applied').notNullable()
    t.text('not_applied_reason')
    t.integer('deciding_unit_id').notNullable().references('org_units.id')
    t.string('decision_doc')
    t.string('decided_on').notNullable()
    t.text('feedback') // 执行反馈
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.index(['deciding_unit_id', 'decided_on'])
    t.index(['updated_at'])
  })

  await knex.schema.createTable('commitments', (t) => {
    t.increments('id')
    t.string('uid').notNullable().unique()
    subject(t)
    t.string('commitment_type').notNullable()
    t.string('reason').notNullable() // 承诺事由
    t.text('content') // 承诺内容
    t.string('committed_on').notNullable()
    t.integer('unit_id').notNullable().references('org_units.id') // 受理单位
    t.string('scan_digest')
    t.string('scan_file_name')
    t.string('status').notNullable() // keeping | kept | breached
    t.string('kept_on')
    t.text('breach_facts')
    t.string('breach_doc')
    t.string('breach_decided_on')
    t.integer('breach_proposed_by').references('users.id')
    t.bigInteger('breach_proposed_at')
    t.integer('breach_decided_by').references('users.id')
    t.bigInteger('breach_decided_at')
    t.string('breach_refused_reason')
    t.integer('breach_record_id').references('records.id')
    t.integer('created_by').references('users.id')
    t.bigInteger('created_at').notNullable()
    t.bigInteger('updated_at').notNullable()
    t.index(['status'])
    t.index(['updated_at'])
  })

  await knex.schema.createTable('credit_reports', (t) => {
    t.increments('id')
    t.integer('year').notNullable()
    t.integer('seq').notNullable()
    t.string('subject_name').notNullable()
    t.string('subject_shown')
    t.string('subject_key').notNullable()
    t.string('subject_type').notNullable()
    t.string('purpose').notNullable() // 本报告仅供…使用
    t.string('authorisation') // 自然人: the recorded 授权 reference
    t.string('period_from').notNullable()
    t.string('period_to').notNullable()
    t.text('sections').notNullable() // JSON: the report as produced, so a reprint is the same report
    t.integer('produced_by').references('users.id')
    t.string('produced_by_name')
    t.bigInteger('produced_at').notNullable()
    t.unique(['year', 'seq'])
  })

  // Peers that receive records receive cases and commitments too (the administrator may take them off).
  for (const peer of await knex('exchange_peers').select('id', 'parts')) {
    const parts: string[] = JSON.parse(peer.parts)
    if (parts.includes('records') && !parts.includes('credit'))
      await knex('exchange_peers')
        .where('id', peer.id)
        .update({ parts: JSON.stringify([...parts, 'credit']) })
  }

  // Checks look subjects up by name when no code is given.
  await knex.schema.alterTable('records', (t) => t.index(['subject_name'], 'records_subject_name'))

  const now = Date.now()
  const [itemId] = (await knex<Record<string, unknown>>('catalog_items').insert({
    code: BREACH_ITEM_CODE,
    version: 1,
    status: 'approved',
    category_code: '08',
    name: '信用承诺违诺信息',
    info_class: 'bad',
    dishonesty_level: 'general',
    subject_types: JSON.stringify(['legal', 'individual_business', 'natural_person']),
    disclosure: 'public',
    update_frequency: 'realtime',
    collection_method: 'manual',
    legal_basis: '《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》；信用承诺制有关规定',
    source: 'county',
    created_at: now,
    updated_at: now,
    reviewed_at: now,
  })) as number[]
  await knex<Record<string, unknown>>('catalog_fields').insert(
    BREACH_FIELDS.map(([code, name, type, maxLength, required, dict, rule], i) => ({
      item_id: itemId,
      sort_order: (i + 1) * 10,
      code,
      name,
      type,
      max_length: maxLength,
      required,
      dict_type_code: dict,
      check_rule: rule,
      sensitive: type === 'idcard',
    })),
  )
}

export async function down(knex: Knex): Promise<void> {
  const item = await knex('catalog_items').where('code', BREACH_ITEM_CODE).first('id')
  if (item) {
    await knex('catalog_fields').where('item_id', item.id).del()
    await knex('catalog_items').where('id', item.id).del()
  }
  await knex.schema.alterTable('records', (t) => t.dropIndex(['subject_name'], 'records_subject_name'))
  for (const table of ['credit_reports', 'commitments', 'sanction_cases', 'credit_check_results', 'credit_checks', 'credit_list_entries'])
    await knex.schema.dropTable(table)
  for (const [code] of DICTS) {
    await knex('dict_items').where('type_code', code).del()
    await knex('dict_types').where('code', code).del()
  }
}
