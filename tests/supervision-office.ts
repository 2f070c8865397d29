// A county office for supervision tests: three units, a clerk, two supervisors, and tasks set up by hand.
import { adminSession, expectOk, freshBackend, userSession } from './helpers'

export type Call = (name: string, input?: unknown) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; details?: never } }>
export type Unit = {
  id: number
  unitName: string
  role: string
  status: string
  percent: number
  deadline: string | null
  light: string
  letters: Array<{ id: number; level: string; docNumber: string; replied: boolean }>
  nextLetterLevel: string
  evaluation: { score: number } | null
}
export type Detail = {
  status: string
  basis: Record<string, string | null> | null
  publishRequestedBy: string | null
  mayPublish: boolean
  units: Unit[]
  events: Array<{ id: number; kind: string; text: string | null; newDeadline: string | null; unitName: string | null; via: string | null }>
}
export type Stats = {
  byUnit: Array<{
    unitName: string
    due: number
    done: number
    evaluation: number | null
    contacts: number
    letters: number
    score: number | null
  }>
  contacts: Record<string, number>
}

const DAY = 86_400_000

export async function office() {
  const b = await freshBackend() // 2026-11-22 10:00 Beijing
  const admin = await adminSession(b)
  const unit = async (name: string, sortOrder: number) =>
    (expectOk(await admin('units:create', { parentId: null, name, kind: 'county_dept', sortOrder })) as { id: number }).id
  const units = { fgj: await unit('县发展改革局', 1), sjj: await unit('县数据局', 2), czj: await unit('县财政局', 3) }
  const clerk = (await userSession(b, admin, 'clerk1', ['clerk'])) as Call
  const boss = (await userSession(b, admin, 'boss1', ['supervisor'])) as Call
  const boss2 = (await userSession(b, admin, 'boss2', ['supervisor'])) as Call
  /** Moves the clock on by whole days; the idle screens lock, so each unlocks. */
  const later = async (days: number) => {
    b.clock.advance(days * DAY)
    for (const call of [clerk, boss, boss2]) await call('auth:unlock', { password: 'Work#2026cc' })
  }
  const task = (over: Record<string, unknown> = {}) => ({
    title: '落实县长批示：清理历史失信被执行人名单',
    content: '县长批示：请县发展改革局牵头，于年底前完成历史失信被执行人名单清理，县数据局配合。',
    basisKind: 'instruction',
    basisText: '县长批示',
    basisDoc: '县领导批示〔2026〕12号',
    basisDate: '2026-11-20',
    supervisionType: 'key',
    urgency: 'urgent',
    leadUnitIds: [units.fgj],
    cooperatingUnitIds: [units.sjj],
    deadline: '2026-12-31',
    recurring: null,
    ...over,
  })
  /** A task set up and published in one go (the office without publication review). */
  const published = async (over: Record<string, unknown> = {}) => {
    const { id } = expectOk(await boss('tasks:create', task(over))) as { id: number }
    const { status } = expectOk(await boss2('tasks:publish', { taskId: id })) as { status: string }
    if (status !== 'assigned') expectOk(await boss('tasks:publish', { taskId: id }))
    return id
  }
  const detail = async (taskId: number, as: Call = clerk) => expectOk(await as('tasks:get', { taskId })) as Detail
  return { b, admin, clerk, boss, boss2, units, later, task, published, detail }
}
