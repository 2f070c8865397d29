// How the entry form groups a catalog item's data items, and which ones a 自然人 or a 法人 is asked for.
import { describe, expect, it } from 'vitest'
import { appliesTo, fieldSection } from '../../electron/contract/field-sections'

describe('entry form sections', () => {
  it('puts the national 双公示 items where a clerk reads them: subject, decision, authority, other', () => {
    const section = (code: string, name: string) => fieldSection({ code, name })
    expect(section('XDR_MC', '行政相对人名称')).toBe('subject')
    expect(section('FRDB_ZJHM', '法定代表人证件号码')).toBe('subject')
    expect(section('ZJHM', '证件号码')).toBe('subject')
    expect(section('CF_WSH', '行政处罚决定书文号')).toBe('decision')
    expect(section('CF_JDRQ', '处罚决定日期')).toBe('decision')
    expect(section('CF_CFJG', '处罚机关')).toBe('authority')
    expect(section('CF_SJLYDM', '数据来源单位统一社会信用代码')).toBe('authority')
    expect(section('XK_XKJG', '许可机关')).toBe('authority')
    expect(section('BZ', '备注')).toBe('other')
    // A local item names its subject in words.
    expect(section('ZTMC', '主体名称')).toBe('subject')
    expect(section('LRYY', '列入原因')).toBe('decision')
  })

  it('asks a 自然人 for an ID document, a 法人 for codes and 法定代表人, an 个体工商户 for both', () => {
    for (const code of ['XDR_SHXYM', 'XDR_ZZJG', 'FRDB', 'FRDB_ZJHM']) {
      expect(appliesTo(code, 'natural_person'), code).toBe(false)
      expect(appliesTo(code, 'legal'), code).toBe(true)
    }
    for (const code of ['ZJLX', 'ZJHM']) {
      expect(appliesTo(code, 'natural_person'), code).toBe(true)
      expect(appliesTo(code, 'legal'), code).toBe(false)
      expect(appliesTo(code, 'individual_business'), code).toBe(true)
    }
    expect(appliesTo('XDR_SHXYM', 'individual_business')).toBe(true)
    expect(appliesTo('CF_WSH', 'natural_person')).toBe(true)
    expect(appliesTo('ZJHM', null)).toBe(true) // no kind chosen yet: everything shows
  })
})
