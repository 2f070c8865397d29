import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import { UnitKind, type NewUnit, type Unit, type UnitUpdate } from '../../contract/schemas/units'
import { checkUscc } from '../codes/uscc'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import type { OrgUnitRow } from '../../../db/tables'

function toUnit(row: OrgUnitRow): Unit {
  return {
    id: row.id,
    uid: row.uid,
    parentId: row.parent_id ?? null,
    name: row.name,
    kind: row.kind,
    creditCode: row.credit_code ?? null,
    regionCode: row.region_code ?? null,
    sortOrder: row.sort_order,
    enabled: Boolean(row.enabled),
  }
}

/** All units, parents before children order not guaranteed; the tree is small (one county). */
export async function listUnits(db: Knex): Promise<Unit[]> {
  return (await db('org_units').orderBy([{ column: 'sort_order' }, { column: 'id' }])).map(toUnit)
}

/**
 * Checks what a unit's fields must satisfy: the parent exists, the name is unique among its
 * siblings, a given USCC passes GB 32100, and a township's code is the 9-digit 统计用区划代码.
 */
async function unitIssues(db: Knex, input: NewUnit, selfId: number | null): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = []
  if (input.parentId != null) {
    if (!(await db('org_units').where('id', input.parentId).first('id'))) issues.push({ path: 'parentId', message: 'unit.parentMissing' })
    else if (selfId != null && (await isDescendantOrSelf(db, input.parentId, selfId)))
      issues.push({ path: 'parentId', message: 'unit.cycle' })
  }
  const sibling = db('org_units').where('name', input.name)
  if (input.parentId == null) sibling.whereNull('parent_id')
  else sibling.where('parent_id', input.parentId)
  if (selfId != null) sibling.whereNot('id', selfId)
  if (await sibling.first('id')) issues.push({ path: 'name', message: 'unit.nameTaken' })
  if (input.creditCode) {
    const check = checkUscc(input.creditCode)
    if (!check.valid) issues.push({ path: 'creditCode', message: check.reason })
  }
  if (input.regionCode && !/^\d{9}$/.test(input.regionCode.normalize('NFKC')))
    issues.push({ path: 'regionCode', message: 'unitRegion.format' })
  return issues
}

async function isDescendantOrSelf(db: Knex, candidateId: number, ancestorId: number): Promise<boolean> {
  const rows = (await db.raw(
    `WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM org_units WHERE id = ?
       UNION ALL SELECT o.id, o.parent_id FROM org_units o JOIN up ON o.id = up.parent_id)
     SELECT 1 AS hit FROM up WHERE id = ? LIMIT 1`,
    [candidateId, ancestorId],
  )) as unknown[]
  return rows.length > 0
}

function columns(input: NewUnit) {
  return {
    parent_id: input.parentId,
    name: input.name,
    kind: input.kind,
    credit_code: input.creditCode ? checkUscc(input.creditCode).normalized : null,
    region_code: input.kind === UnitKind.Township && input.regionCode ? input.regionCode.normalize('NFKC') : null,
    sort_order: input.sortOrder,
  }
}

export async function createUnit(db: Knex, clock: Clock, input: NewUnit): Promise<number> {
  const issues = await unitIssues(db, input, null)
  if (issues.length) throw fieldError(issues)
  const now = clock.now()
  const [id] = await db('org_units').insert({
    ...columns(input),
    uid: randomUUID(),
    enabled: true,
    created_at: now,
    updated_at: now,
  })
  return id!
}

export async function updateUnit(db: Knex, clock: Clock, input: UnitUpdate): Promise<void> {
  if (!(await db('org_units').where('id', input.id).first('id'))) throw new AppError(ErrorCode.NotFound, 'unit not found')
  const issues = await unitIssues(db, input, input.id)
  if (issues.length) throw fieldError(issues)
  await db('org_units')
    .where('id', input.id)
    .update({ ...columns(input), enabled: input.enabled, updated_at: clock.now() })
}

/** Deletes a unit nothing refers to; otherwise the user should disable it instead. */
export async function deleteUnit(db: Knex, id: number): Promise<void> {
  if (!(await db('org_units').where('id', id).first('id'))) throw new AppError(ErrorCode.NotFound, 'unit not found')
  const children = await db('org_units').where('parent_id', id).first('id')
  const users = await db('users').where('unit_id', id).first('id')
  if (children || users)
    throw new AppError(ErrorCode.UnitInUse, 'unit has children or users', { children: Boolean(children), users: Boolean(users) })
  await db('org_units').where('id', id).del()
}
