/**
 * Normalises a code as typed or pasted: NFKC turns full-width digits and letters into ASCII,
 * then spaces are removed and letters upper-cased (so a lower-case x check digit is accepted).
 */
export function normalizeCode(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
}
