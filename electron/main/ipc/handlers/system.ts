// The administrator's set-up: accounts, the unit tree, dictionaries, office settings and the working calendar.
import { ErrorCode } from '../../../contract'
import { createUser, resetUserPassword, setUserDisabled, updateUser } from '../../../core/accounts/user-admin'
import { listUsers } from '../../../core/accounts/users-repository'
import { calendarYear, confirmYear, deleteOverride, saveOverride } from '../../../core/calendar/holiday-table'
import { AppError } from '../../../core/shared/app-error'
import { createDictType, listDictItems, listDictTypes, saveDictItem } from '../../../core/system/dictionaries'
import { getSettings, saveOfficeSettings } from '../../../core/system/settings'
import { logSessionEnd } from '../../../core/audit/audit-log'
import { LoginResult } from '../../../contract/schemas/audit'
import { createUnit, deleteUnit, listUnits, updateUnit } from '../../../core/system/units'
import { actorId, ok, type HandlersOf } from './shared'

export const systemHandlers: HandlersOf<'users' | 'units' | 'dicts' | 'settings' | 'calendar'> = {
  'users:list': async (query, { db, clock }) => listUsers(db, query, clock.now()),
  'users:create': async (input, ctx) => {
    const id = await createUser(ctx.db, ctx.clock, input)
    ctx.affected.push(`user:${id}`)
    return { id }
  },
  'users:update': async (input, ctx) => {
    await updateUser(ctx.db, ctx.clock, actorId(ctx), input)
    ctx.affected.push(`user:${input.id}`)
    return { id: input.id }
  },
  'users:set-disabled': async ({ id, disabled }, ctx) => {
    await setUserDisabled(ctx.db, ctx.clock, actorId(ctx), id, disabled)
    if (disabled) await logSessionEnd(ctx.db, ctx.sessions.endForUser(id), ctx.clock.now(), LoginResult.SessionEnd)
    ctx.affected.push(`user:${id}`)
    return { id }
  },
  'users:reset-password': async ({ id, newPassword }, ctx) => {
    await resetUserPassword(ctx.db, ctx.clock, id, newPassword)
    await logSessionEnd(ctx.db, ctx.sessions.endForUser(id), ctx.clock.now(), LoginResult.SessionEnd)
    ctx.affected.push(`user:${id}`)
    return { id }
  },

  'units:tree': async (_i, { db }) => ({ units: await listUnits(db) }),
  'units:create': async (input, ctx) => {
    const id = await createUnit(ctx.db, ctx.clock, input)
    ctx.affected.push(`unit:${id}`)
    return { id }
  },
  'units:update': async (input, ctx) => {
    await updateUnit(ctx.db, ctx.clock, input)
    ctx.affected.push(`unit:${input.id}`)
    return { id: input.id }
  },
  'units:delete': async ({ id }, ctx) => {
    await deleteUnit(ctx.db, id)
    ctx.affected.push(`unit:${id}`)
    return { id }
  },

  'dicts:types': async (_i, { db }) => listDictTypes(db),
  'dicts:items': async ({ typeCode }, { db }) => listDictItems(db, typeCode),
  'dicts:create-type': async (input, ctx) => {
    await createDictType(ctx.db, input)
    ctx.affected.push(`dict:${input.code}`)
    return { code: input.code }
  },
  'dicts:save-item': async (input, ctx) => {
    const id = await saveDictItem(ctx.db, input)
    ctx.affected.push(`dict:${input.typeCode}:${id}`)
    return { id }
  },

  'settings:get': async (_i, { db }) => getSettings(db),
  'settings:update': async (input, ctx) => {
    await saveOfficeSettings(ctx.db, input)
    ctx.affected.push('settings')
    return ok
  },

  'calendar:year': async ({ year }, { db }) => calendarYear(db, year),
  'calendar:save-day': async (input, ctx) => {
    await saveOverride(ctx.db, input, ctx.clock.now())
    ctx.affected.push(`holiday:${input.date}`)
    return ok
  },
  'calendar:delete-day': async ({ date }, ctx) => {
    if (!(await deleteOverride(ctx.db, date))) throw new AppError(ErrorCode.NotFound, 'no entry for that day')
    ctx.affected.push(`holiday:${date}`)
    return ok
  },
  'calendar:confirm-year': async ({ year }, ctx) => {
    await confirmYear(ctx.db, year, ctx.clock.now())
    ctx.affected.push(`calendar-year:${year}`)
    return ok
  },
}
