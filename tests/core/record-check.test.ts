import { describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { checkRecord, parseDate, type CheckContext } from '../../electron/core/catalog/record-check'
import { idCardCheckChar } from '../../electron/core/codes/idcard'
import { loadCheckDicts, saveDictItem } from '../../electron/core/system/dictionaries'
import { freshDb, validIdNumber } from '../helpers'

async function penaltyItem(db: Knex) {
  const row = await db('catalog_items').where('code', 'SGS_CF').first('id')
  return getCatalogItem(db, row!.id)
}

async function context(db: Knex): Promise<CheckContext> {
  return { today: '2026-11-22', ...(await loadCheckDicts(db)) }
}

const GOOD = {
  XDR_MC: '某某食品有限公司',
  XDR_LB: '法人和非法人组织',
  XDR_SHXYM: '91350100M000100Y43',
  CF_WSH: '闽市监罚〔2026〕12号',
  CF_WFXW: '销售过期食品',
  CF_SY: '经查，当事人于2026年9月销售超过保质期的食品。',
  CF_YJ: '《中华人民共和国食品安全法》第一百二十四条',
  CF_CFLB: '罚款',
  CF_NR: '罚款人民币伍万元',
  CF_NR_FK: '5',
  CF_JDRQ: '2026-11-20',
  CF_YXQ: '2027-11-20',
  CF_CFJG: '某县市场监督管理局',
  CF_CFJGDM: '91440300708461136T',
  CF_SJLY: '某县市场监督管理局',
  CF_SJLYDM: '91440300708461136T',
}

describe('parseDate', () => {
  it('reads the ways departments write dates, and rejects impossible ones', () => {
    for (const s of ['2025-09-26', '2025/9/26', '2025.9.26', '2025年9月26日', '20250926', ' ２０２５-０９-２６ '])
      expect(parseDate(s)).toBe('2025-09-26')
    expect(parseDate(45926)).toBe('2025-09-26') // Excel serial
    expect(parseDate(new Date(Date.UTC(2025, 8, 26)))).toBe('2025-09-26')
    expect(parseDate('2025-02-30')).toBeNull()
    expect(parseDate('26/09/2025')).toBeNull()
    expect(parseDate(45926.5)).toBeNull()
  })
})

describe('checkRecord against the national 行政处罚 item', () => {
  it('accepts a good record and stores codes, not labels', async () => {
    const { db } = await freshDb()
    const r = checkRecord((await penaltyItem(db)).fields, GOOD, await context(db))
    expect(r.issues).toEqual([])
    expect(r.values).toMatchObject({ XDR_LB: 'legal', CF_CFLB: 'fine', CF_NR_FK: 5, CF_JDRQ: '2026-11-20', XDR_GSZC: null })
  })

  it('normalises full-width digits, trailing spaces and lower-case codes', async () => {
    const { db } = await freshDb()
    const r = checkRecord(
      (await penaltyItem(db)).fields,
      { ...GOOD, XDR_SHXYM: ' ９１３５０１００ｍ０００１００ｙ４３\u00a0', CF_NR_FK: '１,２００.５', XDR_MC: '某某食品有限公司  ' },
      await context(db),
    )
    expect(r.issues).toEqual([])
    expect(r.values).toMatchObject({ XDR_SHXYM: '91350100M000100Y43', CF_NR_FK: 1200.5, XDR_MC: '某某食品有限公司' })
  })

  it('keeps Chinese punctuation in free text, folding only full-width letters and digits', async () => {
    const { db } = await freshDb()
    const r = checkRecord(
      (await penaltyItem(db)).fields,
      { ...GOOD, CF_SY: '\u3000经查，当事人（某某）：属实。', CF_WSH: '罚〔２０２６〕１号' },
      await context(db),
    )
    expect(r.issues).toEqual([])
    expect(r.values).toMatchObject({ CF_SY: '经查，当事人（某某）：属实。', CF_WSH: '罚〔2026〕1号' })
  })

  it('reports every problem of a bad row with its column', async () => {
    const { db } = await freshDb()
    const r = checkRecord(
      (await penaltyItem(db)).fields,
      {
        ...GOOD,
        CF_WSH: '',
        CF_CFLB: '批评教育',
        CF_NR_FK: '-3',
        CF_JDRQ: '2026-12-01',
        CF_YXQ: '2026-11-01',
        CF_CFJGDM: '91440300708461136X',
        XDR_MC: '某'.repeat(201),
      },
      await context(db),
    )
    expect(r.issues).toEqual([
      { column: 'XDR_MC', message: 'text.tooLong', params: { max: 200 } },
      { column: 'CF_WSH', message: 'required' },
      { column: 'CF_CFLB', message: 'dict.unknown' },
      { column: 'CF_NR_FK', message: 'money.negative' },
      { column: 'CF_CFJGDM', message: 'uscc.checkChar' },
      { column: 'CF_JDRQ', message: 'date.future' },
      { column: 'CF_YXQ', message: 'date.before', params: { other: '处罚决定日期' } },
    ])
  })

  it('checks the subject code against the subject type', async () => {
    const { db } = await freshDb()
    const { fields } = await penaltyItem(db)
    const ctx = await context(db)
    expect(checkRecord(fields, { ...GOOD, XDR_SHXYM: '' }, ctx).issues).toEqual([{ column: 'XDR_SHXYM', message: 'subject.usccRequired' }])
    const individual = { ...GOOD, XDR_LB: '个体工商户' }
    expect(checkRecord(fields, individual, ctx).issues).toEqual([{ column: 'XDR_SHXYM', message: 'subject.notIndividual' }])
    // 92… with a valid check character, declared as a company:
    const { completeUscc } = await import('../../electron/core/codes/uscc')
    const valid92 = completeUscc('92350100M000100Y')
    expect(checkRecord(fields, { ...GOOD, XDR_SHXYM: valid92 }, ctx).issues).toEqual([{ column: 'XDR_SHXYM', message: 'subject.prefix92' }])
    expect(checkRecord(fields, { ...individual, XDR_SHXYM: valid92 }, ctx).issues).toEqual([])
    const person = { ...GOOD, XDR_LB: '自然人', XDR_SHXYM: '', XDR_MC: '张三' }
    expect(checkRecord(fields, person, ctx).issues).toEqual([{ column: 'ZJHM', message: 'subject.idRequired' }])
    expect(checkRecord(fields, { ...person, ZJHM: '11010519491231002x' }, ctx).issues).toEqual([])
    expect(checkRecord(fields, { ...person, ZJHM: '110105194912310021' }, ctx).issues).toEqual([
      { column: 'ZJHM', message: 'idcard.checkChar' },
    ])
  })

  it('takes dates typed as Excel serials and Date cells', async () => {
    const { db } = await freshDb()
    const r = checkRecord(
      (await penaltyItem(db)).fields,
      { ...GOOD, CF_JDRQ: 46346, CF_YXQ: new Date(Date.UTC(2027, 10, 20)) },
      await context(db),
    )
    expect(r.issues).toEqual([])
    expect(r.values).toMatchObject({ CF_JDRQ: '2026-11-20', CF_YXQ: '2027-11-20' })
  })
})

describe('real department files (issue 17 §1)', () => {
  const person = { ...GOOD, XDR_LB: '自然人', XDR_SHXYM: '', XDR_MC: 'John Smith' }

  it.each(['法人及非法人组织', '法人和非法人组织', ' 法人 及 非法人组织 ', '法人及其他组织', 'legal'])(
    'reads 行政相对人类别 %s as 法人和非法人组织',
    async (typed) => {
      const { db } = await freshDb()
      const r = checkRecord((await penaltyItem(db)).fields, { ...GOOD, XDR_LB: typed }, await context(db))
      expect(r.issues).toEqual([])
      expect(r.values.XDR_LB).toBe('legal')
    },
  )

  it('still refuses a category no entry or alias names', async () => {
    const { db } = await freshDb()
    const r = checkRecord((await penaltyItem(db)).fields, { ...GOOD, XDR_LB: '法人单位' }, await context(db))
    expect(r.issues).toEqual([{ column: 'XDR_LB', message: 'dict.unknown' }])
  })

  it('an alias the administrator adds is accepted from then on; one that reads as another entry is refused and nothing is stored', async () => {
    const { db } = await freshDb()
    const fields = (await penaltyItem(db)).fields
    expect(checkRecord(fields, { ...GOOD, CF_CFLB: '罚金' }, await context(db)).issues).toEqual([
      { column: 'CF_CFLB', message: 'dict.unknown' },
    ])
    const fine = (await db('dict_items').where({ type_code: 'penalty_category', value: 'fine' }).first())!
    await saveDictItem(db, {
      typeCode: 'penalty_category',
      id: fine.id,
      value: 'fine',
      label: '罚款',
      aliases: ['罚金'],
      sortOrder: fine.sort_order,
      enabled: true,
    })
    expect(checkRecord(fields, { ...GOOD, CF_CFLB: '罚金' }, await context(db)).values.CF_CFLB).toBe('fine')

    const individual = (await db('dict_items').where({ type_code: 'subject_type', value: 'individual_business' }).first())!
    const save = (aliases: string[]) =>
      saveDictItem(db, {
        typeCode: 'subject_type',
        id: individual.id,
        value: individual.value,
        label: '个体工商户',
        aliases,
        sortOrder: 20,
        enabled: true,
      })
    // 法人 is already an alias of 法人和非法人组织; 法人及非法人组织 normalises to that entry's label.
    for (const clash of [['个体', '法人'], ['法人和非法人组织'], ['自然人']]) {
      const err = await save(clash).catch((e) => e)
      expect(err.details.fields[0]).toMatchObject({ path: 'aliases', message: 'dict.aliasClash' })
    }
    expect((await db('dict_items').where('id', individual.id).first())!.aliases).toBe(JSON.stringify(['个体户']))
    // A new entry whose label is another entry's alias is refused too.
    const err = await saveDictItem(db, {
      typeCode: 'subject_type',
      value: 'person2',
      label: '个 人',
      aliases: [],
      sortOrder: 90,
      enabled: true,
    }).catch((e) => e)
    expect(err.details.fields[0]).toMatchObject({ path: 'label', message: 'dict.aliasClash', params: { other: '自然人' } })
    expect(await db('dict_items').where('value', 'person2').first()).toBeUndefined()
  })

  // A 2023-format 外国人永久居留身份证: 9, province, nationality, birth date 19850312, sequence, GB 11643 check digit.
  const foreign2023 = (() => {
    const body = '93115619850312001'
    return body + idCardCheckChar(body)
  })()

  it.each([
    ['护照', 'E12345678'],
    ['护照号', 'EA1234567'],
    ['护照', 'P1234567'],
    ['港澳居民来往内地通行证', 'H12345678'],
    ['港澳通行证', 'M1234567890'],
    ['台湾居民来往大陆通行证', '12345678'],
    ['外国人永久居留身份证', foreign2023],
    ['外国人永久居留身份证', 'USA350812101'.padEnd(15, '0')],
    ['其他', 'JZ-2026-001'],
    ['居民身份证', validIdNumber(1)],
    ['', validIdNumber(2)],
  ])('a 自然人 row with %s %s imports clean', async (type, number) => {
    const { db } = await freshDb()
    const r = checkRecord((await penaltyItem(db)).fields, { ...person, ZJLX: type, ZJHM: number }, await context(db))
    expect(r.issues).toEqual([])
    expect(r.values.ZJHM).toBe(number)
  })

  it.each([
    ['护照', 'E123', 'iddoc.passport'],
    ['护照', 'E1234567*', 'iddoc.passport'],
    ['港澳居民来往内地通行证', 'X12345678', 'iddoc.hkMacao'],
    ['台湾居民来往大陆通行证', 'T1234567', 'iddoc.taiwan'],
    ['外国人永久居留身份证', foreign2023.slice(0, 17) + (foreign2023[17] === '0' ? '1' : '0'), 'iddoc.foreignPermanent'],
    ['外国人永久居留身份证', validIdNumber(3), 'iddoc.foreignPermanent'],
    ['居民身份证', 'E12345678', 'code.length'],
    ['', 'E12345678', 'code.length'],
    ['身份证', validIdNumber(4).slice(0, 17) + (validIdNumber(4)[17] === '1' ? '2' : '1'), 'idcard.checkChar'],
  ])('%s %s is refused: %s', async (type, number, reason) => {
    const { db } = await freshDb()
    const r = checkRecord((await penaltyItem(db)).fields, { ...person, ZJLX: type, ZJHM: number }, await context(db))
    expect(r.issues).toEqual([{ column: 'ZJHM', message: reason }])
  })

  it('checks the 法定代表人证件号码 by the 法定代表人证件类型 beside it', async () => {
    const { db } = await freshDb()
    const fields = (await penaltyItem(db)).fields
    expect(checkRecord(fields, { ...GOOD, FRDB_ZJLX: '护照', FRDB_ZJHM: 'E12345678' }, await context(db)).issues).toEqual([])
    expect(checkRecord(fields, { ...GOOD, FRDB_ZJLX: '居民身份证', FRDB_ZJHM: '123' }, await context(db)).issues).toEqual([
      { column: 'FRDB_ZJHM', message: 'code.length' },
    ])
  })

  it('takes a per-record 失信等级, by label or alias, on the 行政处罚 item', async () => {
    const { db } = await freshDb()
    const fields = (await penaltyItem(db)).fields
    expect(fields.find((f) => f.dictTypeCode === 'dishonesty_level')).toMatchObject({ code: 'SXDJ', required: false })
    expect(checkRecord(fields, { ...GOOD, SXDJ: '严重' }, await context(db)).values.SXDJ).toBe('serious')
    expect(checkRecord(fields, { ...GOOD, SXDJ: '轻微失信' }, await context(db)).values.SXDJ).toBe('minor')
    expect(checkRecord(fields, { ...GOOD, SXDJ: '很严重' }, await context(db)).issues).toEqual([
      { column: 'SXDJ', message: 'dict.unknown' },
    ])
  })

  it('refuses as a USCC a mistyped ID number whose check character happens to fit', async () => {
    const { db } = await freshDb()
    const r = checkRecord((await penaltyItem(db)).fields, { ...GOOD, XDR_SHXYM: '450403195802221039' }, await context(db))
    expect(r.issues).toEqual([{ column: 'XDR_SHXYM', message: 'uscc.category' }])
  })
})
