// How a typed dictionary entry is recognised: by its stored value, its label or one of its aliases, compared after
// normalisation, so 法人及非法人组织, 法人和非法人组织 and "法人 和非法人组织" are the same entry. One rule for records,
// lists and the alias-clash check.

/** Full-width folded (NFKC), spaces of any kind removed, 及 read as 和. */
export function normalizeLabel(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/及/g, '和')
    .toUpperCase()
}

/** The aliases stored on a dictionary entry (a JSON array), tolerant of an empty column. */
export function parseAliases(json: string | null | undefined): string[] {
  if (!json) return []
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : []
}

/** normalised label or alias → value, for one dictionary type's enabled entries. */
export type AliasIndex = Map<string, string>

export function aliasIndex(entries: Array<{ value: string; label: string; aliases: string[] }>): AliasIndex {
  const index: AliasIndex = new Map()
  for (const e of entries)
    for (const name of [e.label, ...e.aliases]) if (!index.has(normalizeLabel(name))) index.set(normalizeLabel(name), e.value)
  return index
}

/**
 * The stored value an entry typed as `typed` stands for, or null. The value itself matches exactly (codes are
 * case-sensitive); labels and aliases match after normalisation.
 */
export function matchDictEntry(labels: Map<string, string>, aliases: AliasIndex | undefined, typed: string): string | null {
  if (labels.has(typed)) return typed
  const key = normalizeLabel(typed)
  for (const [value, label] of labels) if (normalizeLabel(label) === key) return value
  const value = aliases?.get(key)
  return value != null && labels.has(value) ? value : null
}
