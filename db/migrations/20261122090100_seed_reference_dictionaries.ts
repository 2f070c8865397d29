// Reference code tables later modules read (catalog, records, archives). They ship in a migration,
// not a seed, so every installation has them exactly once. Values are stable codes; labels are the
// published Chinese terms (DOMAIN.md §A, 行政处罚法 2021 第九条).
import type { Knex } from 'knex'

type Table = { code: string; name: string; items: Array<[value: string, label: string]> }

const REFERENCE_DICTIONARIES: Table[] = [
  {
    code: 'subject_type',
    name: '主体类型',
    items: [
      ['legal', '法人和非法人组织'],
      ['individual_business', '个体工商户'],
      ['natural_person', '自然人'],
    ],
  },
  {
    code: 'info_class',
    name: '信息类别',
    items: [
      ['basic', '基础信息'],
      ['good', '良好信息'],
      ['bad', '不良信息'],
    ],
  },
  {
    code: 'dishonesty_level',
    name: '失信等级',
    items: [
      ['minor', '轻微'],
      ['general', '一般'],
      ['serious', '严重'],
    ],
  },
  {
    code: 'disclosure',
    name: '公开属性',
    items: [
      ['public', '社会公开'],
      ['authorized', '授权查询'],
      ['gov_share', '政务共享'],
      ['not_public', '不予公开'],
    ],
  },
  {
    code: 'update_frequency',
    name: '更新频率',
    items: [
      ['realtime', '实时'],
      ['daily', '每日'],
      ['weekly', '每周'],
      ['monthly', '每月'],
      ['quarterly', '每季'],
      ['yearly', '每年'],
      ['on_demand', '按需'],
    ],
  },
  {
    code: 'collection_method',
    name: '归集方式',
    items: [
      ['api', '接口'],
      ['excel', '批量导入(Excel)'],
      ['manual', '手工录入'],
      ['exchange', '前置机交换'],
      ['offline_media', '离线介质'],
    ],
  },
  {
    code: 'catalog_source',
    name: '目录来源',
    items: [
      ['national', '国家基础目录'],
      ['provincial', '省补充目录'],
      ['city', '市补充目录'],
      ['county', '县补充目录'],
    ],
  },
  {
    code: 'license_category',
    name: '许可类别',
    items: [
      ['general', '普通'],
      ['special', '特许'],
      ['recognition', '认可'],
      ['approval', '核准'],
      ['registration', '登记'],
      ['other', '其他'],
    ],
  },
  {
    code: 'penalty_category',
    name: '处罚类别',
    items: [
      ['warning', '警告'],
      ['circulate_criticism', '通报批评'],
      ['fine', '罚款'],
      ['confiscate_income', '没收违法所得'],
      ['confiscate_property', '没收非法财物'],
      ['suspend_license', '暂扣许可证件'],
      ['lower_qualification', '降低资质等级'],
      ['revoke_license', '吊销许可证件'],
      ['restrict_business', '限制开展生产经营活动'],
      ['suspend_business', '责令停产停业'],
      ['order_closure', '责令关闭'],
      ['restrict_practice', '限制从业'],
      ['detention', '行政拘留'],
      ['other', '其他'],
    ],
  },
  {
    code: 'id_doc_type',
    name: '证件类型',
    items: [
      ['id_card', '居民身份证'],
      ['passport', '护照'],
      ['hk_macao_permit', '港澳居民来往内地通行证'],
      ['taiwan_permit', '台湾居民来往大陆通行证'],
      ['foreign_permanent', '外国人永久居留身份证'],
    ],
  },
]

export async function up(knex: Knex): Promise<void> {
  for (const table of REFERENCE_DICTIONARIES) {
    await knex('dict_types').insert({ code: table.code, name: table.name, is_system: true })
    await knex('dict_items').insert(
      table.items.map(([value, label], i) => ({ type_code: table.code, value, label, sort_order: (i + 1) * 10, enabled: true })),
    )
  }
}

export async function down(knex: Knex): Promise<void> {
  const codes = REFERENCE_DICTIONARIES.map((t) => t.code)
  await knex('dict_items').whereIn('type_code', codes).del()
  await knex('dict_types').whereIn('code', codes).del()
}
