// Saving a reviewed plan: the plan, its task tree and each task's units in one transaction. Unit
// names were resolved by the user on the review screen (matched, mapped to an existing unit — kept as
// an alias for next time — or created); a task keeps one 牵头 unit, further ones become 责任.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import type { PlanRow } from '../../../db/tables'
import { ErrorCode, type FieldIssue } from '../../contract/errors'
import { AppError, fieldError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import { createUnit } from '../system/units'
import { matchUnits } from './unit-matching'

export interface ReviewedTask {
  path: string[]
  number: string
  title: string
  section: string
  deadline: string | null
  deadlineText: string | null
  recurring: string | null
  source: string
  units: { lead: string[]; responsible: string[]; cooperating: string[] }
  /** The issuing platform's id, when the task arrived in a transfer package. */
  externalId?: string | null
}

export interface UnitResolution {
  name: string
  /** An existing unit, or null with create = true to add the name as a new top-level unit. */
  unitId: number | null
  create: boolean
  /** Not a unit (各行业管理部门): left out of the task's units, and remembered so later plans leave it out too. */
  ignore?: boolean
}

export interface PlanInput {
  title: string
  issuer: string | null
  docNumber: string | null
  year: number
  sourceFile: string | null
  tasks: ReviewedTask[]
  resolutions: UnitResolution[]
  externalId?: string | null
  /** The city's issued plan held for review (plan_drafts): saving it takes its ids and clears it. */
  draftId?: number | null
}

export async function savePlan(
  db: Knex,
  clock: Clock,
  input: PlanInput,
  userId: number | null,
): Promise<{ planId: number; tasks: number; unitsCreated: number }> {
  const now = clock.now()
  const named = new Set(input.tasks.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating]))
  const resolution = new Map(input.resolutions.map((r) => [r.name, r]))
  const issues: FieldIssue[] = [...named]
    .filter((n) => !resolution.has(n) || (!resolution.get(n)!.unitId && !resolution.get(n)!.create && !resolution.get(n)!.ignore))
    .map((n) => ({ path: 'resolutions', message: 'plan.unitUnresolved', params: { name: n } }))
  const paths = new Set<string>()
  for (const [i, t] of input.tasks.entries()) {
    const key = t.path.join('/')
    if (paths.has(key)) issues.push({ path: `tasks.${i}.path`, message: 'plan.duplicatePath', params: { path: key } })
    paths.add(key)
    if (
      t.path.length > 1 &&
      !paths.has(t.path.slice(0, -1).join('/')) &&
      input.tasks.some((o) => o.path.join('/') === t.path.slice(0, -1).join('/'))
    ) {
      issues.push({ path: `tasks.${i}.path`, message: 'plan.parentAfterChild' })
    }
  }
  if (issues.length) throw fieldError(issues)

  return db.transaction(async (trx) => {
    let externalId = input.externalId ?? null
    // The city's task ids, by the path each task had in the issue (the review may have edited the rest).
    const cityIds = new Map<string, string>()
    if (input.draftId) {
      const draft = await trx('plan_drafts').where('id', input.draftId).first('external_id', 'tasks')
      if (!draft) throw new AppError(ErrorCode.NotFound, 'no such draft')
      externalId = draft.external_id
      const issued: ReviewedTask[] = JSON.parse(draft.tasks)
      for (const t of issued) if (t.externalId) cityIds.set(t.path.join('/'), t.externalId)
      await trx('plan_drafts').where('id', input.draftId).delete()
    }
    if (input.docNumber && (await trx('plans').where('doc_number', input.docNumber).first('id'))) {
      throw new AppError(ErrorCode.Conflict, 'plan already saved', { reason: 'plan_exists', docNumber: input.docNumber })
    }
    let unitsCreated = 0
    const unitOf = new Map<string, number>()
    for (const name of named) {
      const r = resolution.get(name)!
      if (r.ignore && !r.unitId) {
        await trx('unit_ignored_names').insert({ name, created_at: now }).onConflict('name').ignore()
        continue
      }
      // A name once marked "not a unit" and now mapped or created is a unit after all.
      await trx('unit_ignored_names').where({ name }).delete()
      if (r.unitId) {
        unitOf.set(name, r.unitId)
        const unit = await trx('org_units').where('id', r.unitId).first('name')
        if (!unit) throw fieldError([{ path: 'resolutions', message: 'unit.missing' }])
        // The document's spelling becomes an alias, so the next plan matches it by itself.
        if (unit.name !== name)
          await trx('unit_aliases').insert({ alias: name, unit_id: r.unitId, created_at: now }).onConflict('alias').merge()
      } else {
        const existing = await trx('org_units').where({ name, parent_id: null }).first('id')
        unitOf.set(
          name,
          existing?.id ??
            (await createUnit(trx, clock, { parentId: null, name, kind: 'other', creditCode: null, regionCode: null, sortOrder: 900 })),
        )
        if (!existing) unitsCreated++
      }
    }
    const [planId] = await trx('plans').insert({
      uid: randomUUID(),
      title: input.title,
      issuer: input.issuer,
      doc_number: input.docNumber,
      year: input.year,
      source_file: input.sourceFile,
      external_id: externalId,
      created_by: userId,
      created_at: now,
    })
    const idOf = new Map<string, number>()
    for (const [i, t] of input.tasks.entries()) {
      const parentId = t.path.length > 1 ? (idOf.get(t.path.slice(0, -1).join('/')) ?? null) : null
      const [taskId] = await trx('tasks').insert({
        uid: randomUUID(),
        plan_id: planId,
        parent_id: parentId,
        path: t.path.join('/'),
        number: t.number,
        title: t.title,
        section: t.section,
        deadline: t.deadline,
        deadline_text: t.deadlineText,
        recurring: t.recurring,
        source_text: t.source,
        status: 'created',
        external_id: t.externalId ?? cityIds.get(t.path.join('/')) ?? null,
        sort_order: i,
        created_at: now,
      })
      idOf.set(t.path.join('/'), taskId!)
      const rows = new Map<number, string>()
      const real = (names: string[]) => names.filter((n) => unitOf.has(n))
      const [lead, ...moreLeads] = real(t.units.lead)
      if (lead) rows.set(unitOf.get(lead)!, 'lead')
      for (const n of [...moreLeads, ...real(t.units.responsible)]) if (!rows.has(unitOf.get(n)!)) rows.set(unitOf.get(n)!, 'responsible')
      for (const n of real(t.units.cooperating)) if (!rows.has(unitOf.get(n)!)) rows.set(unitOf.get(n)!, 'cooperating')
      if (rows.size)
        await trx('task_units').insert([...rows].map(([unitId, role]) => ({ task_id: taskId, unit_id: unitId, role, status: 'pending' })))
    }
    return { planId: planId!, tasks: input.tasks.length, unitsCreated }
  })
}

function taskCount(json: string): number {
  const tasks: unknown[] = JSON.parse(json)
  return tasks.length
}

/** City-issued plans waiting for their unit names to be reviewed. */
export async function listPlanDrafts(db: Knex) {
  const rows = await db('plan_drafts').orderBy('id').select('id', 'title', 'doc_number', 'sender', 'tasks', 'created_at')
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    docNumber: r.doc_number ?? null,
    sender: r.sender,
    tasks: taskCount(r.tasks),
    createdAt: Number(r.created_at),
  }))
}

/** A held plan as the review page opens a parsed document: its tasks, and each unit name matched afresh. */
export async function planDraft(db: Knex, draftId: number) {
  const d = await db('plan_drafts').where('id', draftId).first()
  if (!d) throw new AppError(ErrorCode.NotFound, 'no such draft')
  const tasks: ReviewedTask[] = JSON.parse(d.tasks)
  const names = tasks.flatMap((t) => [...t.units.lead, ...t.units.responsible, ...t.units.cooperating])
  return {
    cancelled: false,
    fileName: null,
    title: d.title,
    issuer: d.issuer ?? null,
    docNumber: d.doc_number ?? null,
    year: d.year,
    tasks: tasks.map(({ externalId: _id, ...t }) => ({ ...t, section: t.section ?? '', source: t.source ?? t.title })),
    matches: await matchUnits(db, names),
  }
}

export async function listPlans(db: Knex) {
  const rows = await db('plans as p')
    .leftJoin('tasks as t', 't.plan_id', 'p.id')
    .groupBy('p.id')
    .orderBy('p.id', 'desc')
    .select<Array<Pick<PlanRow, 'id' | 'title' | 'issuer' | 'doc_number' | 'year' | 'created_at'> & { tasks: number }>>(
      'p.id',
      'p.title',
      'p.issuer',
      'p.doc_number',
      'p.year',
      'p.created_at',
      db.raw('count(t.id) as tasks'),
    )
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    issuer: r.issuer ?? null,
    docNumber: r.doc_number ?? null,
    year: r.year,
    tasks: Number(r.tasks),
    createdAt: Number(r.created_at),
  }))
}

export async function planTasks(db: Knex, planId: number) {
  const tasks = await db('tasks')
    .where('plan_id', planId)
    .orderBy([{ column: 'sort_order' }, { column: 'id' }])
  const units = await db('task_units as tu')
    .join('org_units as u', 'u.id', 'tu.unit_id')
    .whereIn(
      'tu.task_id',
      tasks.map((t) => t.id),
    )
    .orderBy('tu.id')
    .select<Array<{ task_id: number; role: string; name: string }>>('tu.task_id', 'tu.role', 'u.name')
  const named = (taskId: number, role: string) => units.filter((u) => u.task_id === taskId && u.role === role).map((u) => u.name)
  return tasks.map((t) => ({
    id: t.id,
    path: t.path.split('/'),
    number: t.number,
    title: t.title,
    section: t.section,
    deadline: t.deadline ?? null,
    recurring: t.recurring ?? null,
    status: t.status,
    units: { lead: named(t.id, 'lead'), responsible: named(t.id, 'responsible'), cooperating: named(t.id, 'cooperating') },
  }))
}
