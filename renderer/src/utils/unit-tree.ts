import type { Unit } from '../../../electron/contract/schemas/units'

export type UnitNode = Unit & { children: UnitNode[] }

/** Builds the nested tree from the flat list main returns (kept flat so it stays one small query). */
export function buildUnitTree(units: Unit[]): UnitNode[] {
  const byId = new Map<number, UnitNode>(units.map((u) => [u.id, { ...u, children: [] }]))
  const roots: UnitNode[] = []
  for (const node of byId.values()) {
    const parent = node.parentId != null ? byId.get(node.parentId) : undefined
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}
