import { normalizeCode } from './normalize'
import type { CodeCheck } from './uscc'

// GB 11643-1999: weights are 2^(17-i) mod 11; the remainder indexes '10X98765432'.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

export type IdCardReason = 'code.empty' | 'code.length' | 'idcard.chars' | 'idcard.birthDate' | 'idcard.checkChar'

export function idCardCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!
  return CHECK[sum % 11]!
}

/** The birth date inside an 18-digit number if it is a real calendar date (UTC midnight), else null. */
export function idCardBirthDate(code: string): Date | null {
  const y = Number(code.slice(6, 10))
  const m = Number(code.slice(10, 12))
  const d = Number(code.slice(12, 14))
  if (y < 1800 || m < 1 || m > 12 || d < 1) return null
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : null
}

/**
 * Validates an 18-digit 居民身份证号 (GB 11643-1999): digits, a real birth date not in the future,
 * and the check digit. A passing checksum does not prove the address code exists.
 */
export function checkIdCard(raw: string, today: Date = new Date()): CodeCheck<IdCardReason> & { birthDate?: string; sex?: 'M' | 'F' } {
  const code = normalizeCode(raw)
  const fail = (reason: IdCardReason, extra = {}) => ({ valid: false, normalized: code, reason, ...extra })
  if (code === '') return fail('code.empty')
  if (code.length !== 18) return fail('code.length')
  if (!/^\d{17}[\dX]$/.test(code)) return fail('idcard.chars')
  const birth = idCardBirthDate(code)
  if (!birth || birth.getTime() > today.getTime()) return fail('idcard.birthDate')
  const expected = idCardCheckChar(code)
  if (code[17] !== expected) return fail('idcard.checkChar', { expectedCheckChar: expected })
  return {
    valid: true,
    normalized: code,
    reason: 'code.ok',
    birthDate: birth.toISOString().slice(0, 10),
    sex: Number(code[16]) % 2 === 1 ? 'M' : 'F',
  }
}
