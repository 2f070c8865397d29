import { normalizeCode } from './normalize'

// GB 32100-2015: 31 characters (no I, O, Z, S, V); weights are 3^i mod 31.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const DEPARTMENTS = '123456789ANY'

export type UsccReason = 'code.empty' | 'code.length' | 'uscc.chars' | 'uscc.dept' | 'uscc.region' | 'uscc.checkChar'

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

/** Validates a 统一社会信用代码 (GB 32100-2015), after normalising full-width and lower-case input. */
export function checkUscc(raw: string): CodeCheck<UsccReason> {
  const code = normalizeCode(raw)
  const fail = (reason: UsccReason, extra: Partial<CodeCheck<UsccReason>> = {}) => ({ valid: false, normalized: code, reason, ...extra })
  if (code === '') return fail('code.empty')
  if (code.length !== 18) return fail('code.length')
  if ([...code].some((c) => !CHARSET.includes(c))) return fail('uscc.chars')
  if (!DEPARTMENTS.includes(code[0]!)) return fail('uscc.dept')
  if (!/^\d{6}$/.test(code.slice(2, 8))) return fail('uscc.region')
  const expected = usccCheckChar(code.slice(0, 17))!
  if (code[17] !== expected) return fail('uscc.checkChar', { expectedCheckChar: expected })
  return { valid: true, normalized: code, reason: 'code.ok' }
}
