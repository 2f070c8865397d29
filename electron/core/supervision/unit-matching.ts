// Matches the unit names a plan prints to the office's unit tree: exactly, then through the office's
// alias table, then by a normalised form that irons out the usual ways of writing the same body
// (市发改委 = 市发展改革委 = 市发展和改革委员会). What stays unmatched is offered for creation.
import type { Knex } from 'knex'

const REWRITES: Array<[RegExp, string]> = [
  [/[\s\u3000]+/g, ''],
  [/[（(]/g, '('],
  [/[）)]/g, ')'],
  [/发展和改革|发展与改革|发改/g, '发展改革'],
  [/人力资源和社会保障|人力资源与社会保障|人力社保|人社/g, '人力资源社会保障'],
  [/市场监督管理|市场监管/g, '市场监督管理'],
  [/住房和城乡建设|住房城乡建设|住建/g, '住房城乡建设'],
  [/生态环境|环境保护|环保/g, '生态环境'],
  [/卫生健康|卫生和计划生育|卫生计生|卫健/g, '卫生健康'],
  [/工业和信息化|工业信息化|工信/g, '工业信息化'],
  [/委员会$/g, '委'],
  [/人民政府$/g, '政府'],
]

function normaliseUnitName(name: string): string {
  let s = name
  for (const [re, to] of REWRITES) s = s.replace(re, to)
  return s
}

export interface UnitMatch {
  name: string
  unitId: number | null
  unitName: string | null
  how: 'exact' | 'alias' | 'normalised' | 'ignored' | null
}

export async function matchUnits(db: Knex, names: string[]): Promise<UnitMatch[]> {
  const units = (await db('org_units').where('enabled', true).select('id', 'name')) as Array<{ id: number; name: string }>
  const aliases = new Map<string, number>(
    (await db('unit_aliases').select('alias', 'unit_id')).map((a: { alias: string; unit_id: number }) => [a.alias, a.unit_id]),
  )
  const ignored = new Set<string>(await db('unit_ignored_names').pluck('name'))
  const byName = new Map(units.map((u) => [u.name, u]))
  const byId = new Map(units.map((u) => [u.id, u]))
  const byNorm = new Map<string, Array<{ id: number; name: string }>>()
  for (const u of units) byNorm.set(normaliseUnitName(u.name), [...(byNorm.get(normaliseUnitName(u.name)) ?? []), u])
  return [...new Set(names)].map((name) => {
    const exact = byName.get(name)
    if (exact) return { name, unitId: exact.id, unitName: exact.name, how: 'exact' }
    if (ignored.has(name)) return { name, unitId: null, unitName: null, how: 'ignored' }
    const alias = aliases.get(name)
    if (alias && byId.has(alias)) return { name, unitId: alias, unitName: byId.get(alias)!.name, how: 'alias' }
    const norm = byNorm.get(normaliseUnitName(name))
    // Only an unambiguous normalised match counts; two candidates go to the user.
    if (norm?.length === 1) return { name, unitId: norm[0]!.id, unitName: norm[0]!.name, how: 'normalised' }
    return { name, unitId: null, unitName: null, how: null }
  })
}
