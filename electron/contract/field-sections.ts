// How an entry form groups a catalog item's data items, and which ones apply to which kind of subject. The national
// 双公示 codes (XDR_*, FRDB*, ZJ*) and items naming the subject (主体, 相对人) are the subject; items naming an authority or data source are the 机关 section;
// 备注 is 其他; the rest describe the decision. Main uses the same rule for the per-user defaults of the 机关 section.

export const FIELD_SECTIONS = ['subject', 'decision', 'authority', 'other'] as const
export type FieldSection = (typeof FIELD_SECTIONS)[number]

export function fieldSection(f: { code: string; name: string }): FieldSection {
  if (/^(XDR_|FRDB|ZJLX$|ZJHM$)/.test(f.code) || /主体|相对人/.test(f.name)) return 'subject'
  if (f.code === 'BZ' || f.name === '备注') return 'other'
  if (/机关|来源单位/.test(f.name)) return 'authority'
  return 'decision'
}

/** Items that only a legal person / organisation has (codes and 法定代表人), and those only a natural person has. */
const ORGANISATION_ONLY = new Set([
  'XDR_SHXYM',
  'XDR_GSZC',
  'XDR_ZZJG',
  'XDR_SWDJ',
  'XDR_SYDW',
  'XDR_SHZZ',
  'FRDB',
  'FRDB_ZJLX',
  'FRDB_ZJHM',
])
const PERSON_ONLY = new Set(['ZJLX', 'ZJHM'])

/** Whether the form shows an item for this 行政相对人类别 (个体工商户 has both a code and the operator's ID). */
export function appliesTo(code: string, subjectType: string | null): boolean {
  if (subjectType === 'natural_person') return !ORGANISATION_ONLY.has(code)
  if (subjectType === 'legal') return !PERSON_ONLY.has(code)
  return true
}
