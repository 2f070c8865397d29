import { describe, expect, it } from 'vitest'
import { checkCode } from '../../electron/core/codes/check-code'
import { checkIdCard } from '../../electron/core/codes/idcard'
import { checkUscc, completeUscc, orgCodeCheckChar, usccCheckChar } from '../../electron/core/codes/uscc'
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
    expect(checkUscc('91350100M000100Y4X')).toMatchObject({ valid: false, reason: 'uscc.checkChar', expectedCheckChar: '3' })
    // The mod-11 example of DOMAIN.md §B1 pitfalls: its organisation-code part is wrong too (MA1G4L1W → 0, not X).
    expect(checkUscc('91310115MA1G4L1WXK').reason).toBe('uscc.orgCode')
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

  // Each of these has a check character that fits (computed), so only the structural rules can refuse it.
  const withCheckChar = (first17: string) => first17 + usccCheckChar(first17)
  it('refuses a mistyped ID number whose last digit happens to fit: 4 (文化) has no category 5', () => {
    expect(usccCheckChar('45040319580222103')).toBe('9')
    expect(checkUscc('450403195802221039').reason).toBe('uscc.category')
    expect(checkCode('450403195802221039', new Date('2026-11-22'))).toMatchObject({ kind: 'idcard', valid: false })
  })

  it.each([
    ['94', 'uscc.category'], // 工商 has 1 企业, 2 个体工商户, 3 农民专业合作社
    ['Y2', 'uscc.category'],
    ['19', 'code.ok'],
    ['53', 'code.ok'],
    ['N3', 'code.ok'],
    ['93', 'code.ok'],
  ])('pairs the department with its categories: %s → %s', (prefix, reason) => {
    const first16 = `${prefix}350100M000100Y`
    expect(checkUscc(completeUscc(first16)).reason).toBe(reason)
  })

  it('refuses a region whose province does not exist (99, 00) and accepts the national level 10', () => {
    expect(checkUscc(completeUscc('91990100M000100Y')).reason).toBe('uscc.province')
    expect(checkUscc(completeUscc('91000100M000100Y')).reason).toBe('uscc.province')
    expect(checkUscc(completeUscc('91100000M000100Y')).reason).toBe('code.ok')
    expect(checkUscc(completeUscc('91820000M000100Y')).reason).toBe('code.ok')
  })

  it('checks the embedded 组织机构代码 (GB 11714) on its own', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4')
    expect(orgCodeCheckChar('26017703')).toBe('X')
    expect(orgCodeCheckChar('00000000')).toBe('0') // 11 − 0 = 11 is written 0
    expect(checkUscc(withCheckChar('91350100M000100Y5')).reason).toBe('uscc.orgCode')
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
    expect(checkCode('91310115MA1G4L1WXK', today)).toMatchObject({ kind: 'uscc', valid: false, reason: 'uscc.orgCode' })
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
