// 证件号码 checked by its 证件类型 (DOMAIN.md "Identity documents other than the 居民身份证"). Only the 居民身份证 and the
// 2023 外国人永久居留身份证 carry a check digit; the others are checked for the shape their issuer uses.
import { checkIdCard, idCardBirthDate, idCardCheckChar } from './idcard'
import { normalizeCode } from './normalize'
import type { CodeCheck } from './uscc'

/** The values of the `id_doc_type` dictionary this module knows; an office-added type is checked like `other`. */
export const ID_DOC_TYPES = ['id_card', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent', 'other'] as const

export type IdDocReason =
  | 'code.empty'
  | 'idcard.chars'
  | 'idcard.birthDate'
  | 'idcard.checkChar'
  | 'code.length'
  | 'iddoc.passport'
  | 'iddoc.hkMacao'
  | 'iddoc.taiwan'
  | 'iddoc.foreignPermanent'
  | 'iddoc.other'

/**
 * Checks a document number against its type. A missing type means 居民身份证, as the national template
 * assumes when the column is left empty.
 */
export function checkIdentityDocument(type: string | null, raw: string, today: Date): CodeCheck<IdDocReason> {
  const code = normalizeCode(raw)
  const result = (reason: IdDocReason | 'code.ok'): CodeCheck<IdDocReason> => ({ valid: reason === 'code.ok', normalized: code, reason })
  if (code === '') return result('code.empty')
  switch (type ?? 'id_card') {
    case 'id_card':
      return checkIdCard(code, today)
    case 'passport':
      // Chinese passports are E/G + 8 characters; foreign ones vary, so letters and digits of a passport's length.
      return result(/^(?=.*\d)[A-Z0-9]{5,17}$/.test(code) ? 'code.ok' : 'iddoc.passport')
    case 'hk_macao_permit':
      return result(/^[HM]\d{8}(\d{2})?$/.test(code) ? 'code.ok' : 'iddoc.hkMacao')
    case 'taiwan_permit':
      return result(/^\d{8}(\d{2})?$/.test(code) ? 'code.ok' : 'iddoc.taiwan')
    case 'foreign_permanent':
      return result(foreignPermanentOk(code, today) ? 'code.ok' : 'iddoc.foreignPermanent')
    default:
      return result(/^[\x21-\x7e]{1,64}$/.test(code) ? 'code.ok' : 'iddoc.other')
  }
}

// The 2023 card: 18 digits starting with 9, birth date in 7–14 and the GB 11643 check digit. The card issued
// before: 15 characters, a 3-letter nationality code then 12 digits.
function foreignPermanentOk(code: string, today: Date): boolean {
  if (/^[A-Z]{3}\d{12}$/.test(code)) return true
  if (!/^9\d{16}[\dX]$/.test(code)) return false
  const birth = idCardBirthDate(code)
  return birth !== null && birth.getTime() <= today.getTime() && code[17] === idCardCheckChar(code)
}
