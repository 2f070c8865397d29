import { describe, expect, it } from 'vitest'
import { checkCode } from '../../electron/core/codes/check-code'
import { checkIdCard } from '../../electron/core/codes/idcard'
import { checkUscc, usccCheckChar } from '../../electron/core/codes/uscc'
import { checkCountyRegionCode } from '../../electron/core/codes/region-code'

// Vectors: DOMAIN.md §B (GB 32100-2015, GB 11643-1999).
describe('统一社会信用代码 (GB 32100-2015)', () => {
  it.each([
    '91350100M000100Y43',
    '9135010026017703XW',
    '91440300708461136T',
    '91110108551385082Q',
    '914403001922038216',
    '91330100799655058B',
    '91110000710926094P',
  ])('accepts %s', (code) => expect(checkUscc(code)).toMatchObject({ valid: true, reason: 'code.ok' }))

  it('rejects a wrong check character and names the right one', () => {
    expect(checkUscc('91310115MA1G4L1WXK')).toMatchObject({ valid: false, reason: 'uscc.checkChar', expectedCheckChar: '7' })
    expect(usccCheckChar('91350100M000100Y4')).toBe('3')
  })

  it('normalises full-width, lower-case and spaces before checking', () => {
    expect(checkUscc(' ９１３５０１００ｍ０００１００ｙ４３ ')).toMatchObject({ valid: true, normalized: '91350100M000100Y43' })
  })

  it('gives a reason for each kind of malformed code', () => {
    expect(checkUscc('').reason).toBe('code.empty')
    expect(checkUscc('91350100M000100Y4').reason).toBe('code.length')
    expect(checkUscc('91350100M000100I43').reason).toBe('uscc.chars') // I is not in the 31-character set
    expect(checkUscc('B1350100M000100Y43').reason).toBe('uscc.dept')
    expect(checkUscc('9135A100M000100Y43').reason).toBe('uscc.region')
  })
})

describe('居民身份证号 (GB 11643-1999)', () => {
  const today = new Date('2026-11-22')
  it.each(['11010519491231002X', '440524188001010014', '11010219840406970X'])('accepts %s', (code) => {
    expect(checkIdCard(code, today)).toMatchObject({ valid: true })
  })

  it('derives birth date and sex', () => {
    expect(checkIdCard('11010519491231002X', today)).toMatchObject({ birthDate: '1949-12-31', sex: 'F' })
    expect(checkIdCard('440524188001010014', today)).toMatchObject({ birthDate: '1880-01-01', sex: 'M' })
  })

  it('accepts a lower-case x and full-width digits', () => {
    expect(checkIdCard('11010519491231002x', today).valid).toBe(true)
    expect(checkIdCard('１１０１０５１９４９１２３１００２Ｘ', today).valid).toBe(true)
  })

  it('rejects a wrong check digit, an impossible date and a future birth date', () => {
    expect(checkIdCard('110105194912310021', today).reason).toBe('idcard.checkChar')
    expect(checkIdCard('110105194902300021', today).reason).toBe('idcard.birthDate') // 30 February
    expect(checkIdCard('110105203001010011', today).reason).toBe('idcard.birthDate')
    expect(checkIdCard('11010519491231002A', today).reason).toBe('idcard.chars')
  })
})

describe('checkCode: telling the two 18-character codes apart', () => {
  const today = new Date('2026-11-22')
  it('classifies valid codes of both kinds, including an all-digit USCC', () => {
    expect(checkCode('91350100M000100Y43', today)).toEqual({ code: '91350100M000100Y43', kind: 'uscc', valid: true, reason: 'code.ok' })
    expect(checkCode('914403001922038216', today)).toMatchObject({ kind: 'uscc', valid: true })
    expect(checkCode('11010519491231002x', today)).toEqual({ code: '11010519491231002X', kind: 'idcard', valid: true, reason: 'code.ok' })
  })

  it('keeps the kind for invalid codes when the shape says which it is', () => {
    expect(checkCode('110105194912310021', today)).toMatchObject({ kind: 'idcard', valid: false, reason: 'idcard.checkChar' })
    expect(checkCode('91310115MA1G4L1WXK', today)).toMatchObject({ kind: 'uscc', valid: false, reason: 'uscc.checkChar' })
  })

  it('calls anything else unknown', () => {
    expect(checkCode('12345', today)).toMatchObject({ kind: 'unknown', valid: false, reason: 'code.length' })
    expect(checkCode('IOZSV0000000000000', today)).toMatchObject({ kind: 'unknown', valid: false })
  })
})

describe('county 行政区划代码', () => {
  it('accepts a county code and explains what is wrong otherwise', () => {
    expect(checkCountyRegionCode('350102')).toBeNull()
    expect(checkCountyRegionCode('３５０１０２')).toBeNull()
    expect(checkCountyRegionCode('35010')).toBe('region.length')
    expect(checkCountyRegionCode('990102')).toBe('region.province')
    expect(checkCountyRegionCode('350100')).toBe('region.notCounty')
  })
})
