import { normalizeCode } from './normalize'
import { checkIdCard, idCardBirthDate } from './idcard'
import { checkUscc } from './uscc'

export type CodeKind = 'uscc' | 'idcard' | 'unknown'

export interface CodeVerdict {
  code: string
  kind: CodeKind
  valid: boolean
  /** Message key, see contract/messages.zh-CN.ts. */
  reason: string
}

/**
 * Decides whether an 18-character code is a 统一社会信用代码 or a 身份证号 and checks it.
 * Both are 18 characters and a USCC may be all digits, so: letters other than a final X mean USCC;
 * for digits-only codes the scheme whose checksum passes wins, and if neither passes a plausible
 * birth date (positions 7-14) means ID card.
 */
export function checkCode(raw: string, today: Date = new Date()): CodeVerdict {
  const code = normalizeCode(raw)
  const verdict = (kind: CodeKind, valid: boolean, reason: string): CodeVerdict => ({ code, kind, valid, reason })
  if (code === '') return verdict('unknown', false, 'code.empty')
  if (code.length !== 18) return verdict('unknown', false, 'code.length')

  const looksLikeId = /^\d{17}[\dX]$/.test(code)
  if (!looksLikeId) {
    const u = checkUscc(code)
    return u.reason === 'uscc.chars' ? verdict('unknown', false, 'code.unknownKind') : verdict('uscc', u.valid, u.reason)
  }
  const id = checkIdCard(code, today)
  if (id.valid) return verdict('idcard', true, id.reason)
  const u = checkUscc(code)
  if (u.valid) return verdict('uscc', true, u.reason)
  return idCardBirthDate(code) ? verdict('idcard', false, id.reason) : verdict('uscc', false, u.reason)
}
