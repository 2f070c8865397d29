import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import type { DictItem, DictType, SaveDictItem } from '../../contract/schemas/dicts'
import { AppError, fieldError } from '../shared/app-error'
import { aliasIndex, normalizeLabel, parseAliases, type AliasIndex } from './dict-match'

export async function listDictTypes(db: Knex): Promise<DictType[]> {
  const rows = await db('dict_types as t')
    .select('t.*', db.raw('(SELECT count(*) FROM dict_items i WHERE i.type_code = t.code) AS item_count'))
    .orderBy([{ column: 't.is_system', order: 'desc' }, { column: 't.code' }])
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    description: r.description ?? null,
    isSystem: Boolean(r.is_system),
    itemCount: Number(r.item_count),
  }))
}

export async function listDictItems(db: Knex, typeCode: string): Promise<DictItem[]> {
  if (!(await db('dict_types').where('code', typeCode).first('code'))) throw new AppError(ErrorCode.NotFound, 'dictionary not found')
  const rows = await db('dict_items')
    .where('type_code', typeCode)
    .orderBy([{ column: 'sort_order' }, { column: 'id' }])
  return rows.map((r) => ({
    id: r.id,
    value: r.value,
    label: r.label,
    sortOrder: r.sort_order,
    enabled: Boolean(r.enabled),
    aliases: parseAliases(r.aliases),
  }))
}

/** Enabled entries of every dictionary, in display order: what forms, checks and templates offer. */
export async function loadDictEntries(db: Knex): Promise<Map<string, Array<{ value: string; label: string }>>> {
  const map = new Map<string, Array<{ value: string; label: string }>>()
  for (const r of await db('dict_items')
    .where('enabled', true)
    .orderBy([{ column: 'type_code' }, { column: 'sort_order' }, { column: 'id' }])) {
    if (!map.has(r.type_code)) map.set(r.type_code, [])
    map.get(r.type_code)!.push({ value: r.value, label: r.label })
  }
  return map
}

/** The same, as value → label per type: what the record checker takes. */
export async function loadDictLookup(db: Knex): Promise<Map<string, Map<string, string>>> {
  return new Map([...(await loadDictEntries(db))].map(([type, entries]) => [type, new Map(entries.map((e) => [e.value, e.label]))]))
}

/** What the record checker matches typed entries against: labels by value, and the normalised labels and aliases. */
export async function loadCheckDicts(db: Knex): Promise<{ dicts: Map<string, Map<string, string>>; aliases: Map<string, AliasIndex> }> {
  return { dicts: await loadDictLookup(db), aliases: await loadDictAliases(db) }
}

/** Per type, the normalised labels and aliases of its enabled entries → value: what a typed label is matched against. */
export async function loadDictAliases(db: Knex): Promise<Map<string, AliasIndex>> {
  const byType = new Map<string, Array<{ value: string; label: string; aliases: string[] }>>()
  for (const r of await db('dict_items')
    .where('enabled', true)
    .orderBy([{ column: 'sort_order' }, { column: 'id' }])) {
    if (!byType.has(r.type_code)) byType.set(r.type_code, [])
    byType.get(r.type_code)!.push({ value: r.value, label: r.label, aliases: parseAliases(r.aliases) })
  }
  return new Map([...byType].map(([type, entries]) => [type, aliasIndex(entries)]))
}

/**
 * An alias may not read as another entry of the same dictionary (its value, label or aliases), or a typed
 * 法人 could mean two things. Disabled entries count: enabling one later must not make a file ambiguous.
 */
async function aliasClashes(db: Knex, input: { typeCode: string; id?: number | null; label: string }, aliases: string[]) {
  const others = await db('dict_items')
    .where('type_code', input.typeCode)
    .modify((q) => (input.id != null ? q.whereNot('id', input.id) : q))
  const taken = new Map<string, string>()
  for (const o of others) for (const name of [o.value, o.label, ...parseAliases(o.aliases)]) taken.set(normalizeLabel(name), o.label)
  return [input.label, ...aliases].flatMap((name, i) => {
    const other = taken.get(normalizeLabel(name))
    return other ? [{ path: i === 0 ? 'label' : 'aliases', message: 'dict.aliasClash', params: { alias: name, other } }] : []
  })
}

export async function createDictType(db: Knex, input: { code: string; name: string; description: string | null }): Promise<void> {
  if (await db('dict_types').where('code', input.code).first('code')) throw fieldError([{ path: 'code', message: 'dict.typeTaken' }])
  await db('dict_types').insert({ code: input.code, name: input.name, description: input.description, is_system: false })
}

/**
 * Adds or edits an entry. A stored value is what other tables keep, so it never changes once
 * created: an edit may change the label, aliases, order and enabled flag only.
 */
export async function saveDictItem(db: Knex, input: Omit<SaveDictItem, 'aliases'> & { aliases?: string[] }): Promise<number> {
  if (!(await db('dict_types').where('code', input.typeCode).first('code'))) throw new AppError(ErrorCode.NotFound, 'dictionary not found')
  const own = normalizeLabel(input.label)
  const aliases = [...new Map((input.aliases ?? []).map((a) => [normalizeLabel(a), a.trim()])).entries()]
    .filter(([k]) => k !== own)
    .map(([, a]) => a)
  const clashes = await aliasClashes(db, input, aliases)
  if (clashes.length) throw fieldError(clashes)
  const stored = aliases.length ? JSON.stringify(aliases) : null
  if (input.id != null) {
    const existing = await db('dict_items').where({ id: input.id, type_code: input.typeCode }).first()
    if (!existing) throw new AppError(ErrorCode.NotFound, 'dictionary item not found')
    if (existing.value !== input.value) throw fieldError([{ path: 'value', message: 'dict.valueFixed' }])
    await db('dict_items')
      .where('id', input.id)
      .update({ label: input.label, sort_order: input.sortOrder, enabled: input.enabled, aliases: stored })
    return input.id
  }
  if (await db('dict_items').where({ type_code: input.typeCode, value: input.value }).first('id')) {
    throw fieldError([{ path: 'value', message: 'dict.valueTaken' }])
  }
  const [id] = await db('dict_items').insert({
    type_code: input.typeCode,
    value: input.value,
    label: input.label,
    sort_order: input.sortOrder,
    enabled: input.enabled,
    aliases: stored,
  })
  return id!
}
