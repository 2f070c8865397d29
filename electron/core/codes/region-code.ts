// Province-level prefixes of GB/T 2260 (including 71 Taiwan, 81 Hong Kong, 82 Macao).
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
])

export type RegionReason = 'region.length' | 'region.province' | 'region.notCounty'

/** Checks a county-level 6-digit 行政区划代码; returns a message key or null when acceptable. */
export function checkCountyRegionCode(raw: string): RegionReason | null {
  const code = raw.normalize('NFKC').trim()
  if (!/^\d{6}$/.test(code)) return 'region.length'
  if (!PROVINCES.has(code.slice(0, 2))) return 'region.province'
  if (code.endsWith('00')) return 'region.notCounty'
  return null
}
