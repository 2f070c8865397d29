import { normalizeCode } from './normalize'

// GB 32100-2015: 31 characters (no I, O, Z, S, V); weights are 3^i mod 31.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

// 登记管理部门码 → the 机构类别码 it may be followed by (GB 32100-2015 table; DOMAIN.md §B1).
const CATEGORIES_BY_DEPARTMENT: Record<string, string> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
}

// GB/T 2260 province-level codes; 10 is the national level (central bodies and enterprises registered centrally).
const PROVINCES = new Set(
  '10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
)

// GB 11714-1997 组织机构代码: 8 body characters (digits, capital letters A=10 … Z=35) and a check character.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

export type UsccReason =
  | 'code.empty'
  | 'code.length'
  | 'uscc.chars'
  | 'uscc.dept'
  | 'uscc.category'
  | 'uscc.region'
  | 'uscc.province'
  | 'uscc.orgCode'
  | 'uscc.checkChar'

export interface CodeCheck<R extends string> {
  valid: boolean
  normalized: string
  /** A message key (contract/messages.zh-CN.ts); 'code.ok' when valid. */
  reason: R | 'code.ok'
  expectedCheckChar?: string
}

/** The check character for the first 17 characters, or null if a character is outside the set. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i] ?? '')
    if (v < 0) return null
    sum += v * WEIGHTS[i]!
  }
  return CHARSET[(31 - (sum % 31)) % 31]!
}

/** The GB 11714 check character of an 8-character organisation-code body, or null if a character is not allowed. */
export function orgCodeCheckChar(body8: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return null
  let sum = 0
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i]!, 36) * ORG_WEIGHTS[i]!
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

/** A full code from its first 16 characters (department, category, region, organisation-code body): both check characters computed. */
export function completeUscc(first16: string): string {
  const first17 = first16 + (orgCodeCheckChar(first16.slice(8, 16)) ?? '')
  return first17 + (usccCheckChar(first17) ?? '')
}

/**
 * Validates a 统一社会信用代码 (GB 32100-2015), after normalising full-width and lower-case input: the
 * department and category pair, a province that exists, the embedded 组织机构代码's own check character and
 * the code's check character. The last alone lets through 1 in 31 mistyped ID numbers.
 */
export function checkUscc(raw: string): CodeCheck<UsccReason> {
  const code = normalizeCode(raw)
  const fail = (reason: UsccReason, extra: Partial<CodeCheck<UsccReason>> = {}) => ({ valid: false, normalized: code, reason, ...extra })
  if (code === '') return fail('code.empty')
  if (code.length !== 18) return fail('code.length')
  if ([...code].some((c) => !CHARSET.includes(c))) return fail('uscc.chars')
  const categories = CATEGORIES_BY_DEPARTMENT[code[0]!]
  if (!categories) return fail('uscc.dept')
  if (!categories.includes(code[1]!)) return fail('uscc.category')
  if (!/^\d{6}$/.test(code.slice(2, 8))) return fail('uscc.region')
  if (!PROVINCES.has(code.slice(2, 4))) return fail('uscc.province')
  if (code[16] !== orgCodeCheckChar(code.slice(8, 16))) return fail('uscc.orgCode')
  const expected = usccCheckChar(code.slice(0, 17))!
  if (code[17] !== expected) return fail('uscc.checkChar', { expectedCheckChar: expected })
  return { valid: true, normalized: code, reason: 'code.ok' }
}
