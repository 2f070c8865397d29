import { describe, expect, it } from 'vitest'
import type { Knex } from 'knex'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { checkRecord, parseDate, type CheckContext } from '../../electron/core/catalog/record-check'
import { freshDb } from '../helpers'

async function penaltyItem(db: Knex) {
  const row = await db('catalog_items').where('code', 'SGS_CF').first('id')
  return getCatalogItem(db, row!.id)
}

async function context(db: Knex): Promise<CheckContext> {
  const dicts = new Map<string, Map<string, string>>()
  for (const r of await db('dict_items').where('enabled', true)) {
    if (!dicts.has(r.type_code)) dicts.set(r.type_code, new Map())
    dicts.get(r.type_code)!.set(r.value, r.label)
  }
  return { today: '2026-11-22', dicts }
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
    const code92 = '92350100M000100Y4'
    const { usccCheckChar } = await import('../../electron/core/codes/uscc')
    const valid92 = code92 + usccCheckChar(code92)
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
