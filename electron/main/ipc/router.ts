// The one place renderer calls enter the main process. Every call, in order: known procedure,
// trusted sender frame, session and role, input schema, then the handler (audited ones inside one
// transaction with their audit row), then the output schema, so nothing the contract does not name
// (a password hash, say) can leak. Errors leave as {code, message, details}; no SQL, no personal data.
import { randomUUID } from 'node:crypto'
import type { Knex } from 'knex'
import { ZodError } from 'zod'
import { allowedFor, contract, ErrorCode, isProcedureName, type Envelope, type FieldIssue, type ProcedureName } from '../../contract'
import { appendAudit, logSessionEnd } from '../../core/audit/audit-log'
import { LoginResult } from '../../contract/schemas/audit'
import type { Session, SessionStore } from '../../core/accounts/session-store'
import { findUserById } from '../../core/accounts/users-repository'
import { getIdleLockMinutes } from '../../core/system/settings'
import { AppError } from '../../core/shared/app-error'
import type { Clock } from '../../core/shared/clock'
import type { Logger } from '../logger'
import type { Platform } from '../platform'
import type { CallContext, Handlers, Sender, Services } from './context'
import { answeredPlatform, DialogNeeded } from './dialogs-first'

export interface RouterDeps {
  db: Knex
  clock: Clock
  sessions: SessionStore
  platform: Platform
  services: Services
  logger: Logger
  /** True only for the app's own top-level page (its origin and the main frame). */
  isTrustedSender(sender: Sender): boolean
}

export type Dispatch = (sender: Sender, name: unknown, input: unknown) => Promise<Envelope<unknown>>

/** Procedures a locked session may still call (to unlock, or to learn that it is locked). */
const ALLOWED_WHEN_LOCKED = new Set<ProcedureName>(['auth:unlock'])

export function createRouter(handlers: Handlers, deps: RouterDeps): Dispatch {
  const { db, clock, sessions, logger } = deps

  async function refuse(procedure: string, session: Session | null, code: ErrorCode): Promise<void> {
    await appendAudit(db, {
      at: clock.now(),
      actorUserId: session?.userId ?? null,
      actorName: session?.username ?? null,
      procedure,
      affectedIds: [],
      result: code,
    })
  }

  /** Checks the caller may run `name`; refreshes roles from the database so changes apply at once. */
  async function authorize(name: ProcedureName, sender: Sender): Promise<Session | null> {
    const access = contract[name].access
    const session = sessions.get(sender.id) ?? null
    if (access === 'public') return session
    if (!session) throw new AppError(ErrorCode.NotAuthenticated, 'no session')
    const user = await findUserById(db, session.userId)
    if (!user || user.disabled) {
      await logSessionEnd(db, sessions.end(sender.id), clock.now(), LoginResult.SessionEnd)
      throw new AppError(ErrorCode.NotAuthenticated, 'user gone or disabled')
    }
    session.roles = user.roles
    const idle = sessions.lockIfIdle(session, clock.now(), await getIdleLockMinutes(db))
    if (idle.lockedAt !== null) await logSessionEnd(db, session, idle.lockedAt, LoginResult.IdleLock)
    if (idle.locked && !ALLOWED_WHEN_LOCKED.has(name)) {
      throw new AppError(ErrorCode.SessionLocked, 'session locked')
    }
    if (access === 'session') return session
    if (user.mustChangePassword) throw new AppError(ErrorCode.PasswordChangeRequired, 'password change required')
    if (!allowedFor(name, session.roles)) {
      throw new AppError(ErrorCode.Forbidden, 'role not allowed', { required: access })
    }
    return session
  }

  return async function dispatch(sender, name, rawInput) {
    if (!isProcedureName(name)) {
      await refuse(String(name).slice(0, 64), sessions.get(sender.id) ?? null, ErrorCode.UnknownProcedure)
      return failure(new AppError(ErrorCode.UnknownProcedure, 'unknown procedure'))
    }
    if (!deps.isTrustedSender(sender)) {
      logger.error('ipc.untrusted-sender', { procedure: name, isMainFrame: sender.isMainFrame })
      await refuse(name, null, ErrorCode.UntrustedSender)
      return failure(new AppError(ErrorCode.UntrustedSender, 'untrusted sender'))
    }
    const spec = contract[name]
    // Who may call comes before what they send: a caller without the role learns nothing about the input's rules.
    let session: Session | null
    try {
      session = await authorize(name, sender)
    } catch (err) {
      const code = err instanceof AppError ? err.code : ErrorCode.Internal
      if (code === ErrorCode.Forbidden || code === ErrorCode.NotAuthenticated) await refuse(name, sessions.get(sender.id) ?? null, code)
      return failure(err, logger)
    }
    const parsed = spec.input.safeParse(rawInput ?? {})
    if (!parsed.success) {
      await refuse(name, session, ErrorCode.Validation)
      return failure(validationError(parsed.error))
    }
    if (session && !session.locked) session.lastActivity = clock.now()

    let ctx: CallContext = { db, clock, sender, session, sessions, platform: deps.platform, services: deps.services, affected: [] }
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => Promise<unknown>
    try {
      let data: unknown
      if (spec.audited) {
        // Dialogs are answered with no transaction open, then the handler runs again (see dialogs-first.ts).
        const answers: Array<string | null> = []
        for (;;) {
          ctx = { ...ctx, affected: [] }
          const attempt = ctx
          try {
            data = await db.transaction(async (trx) => {
              const result = await handler(parsed.data, { ...attempt, db: trx, platform: answeredPlatform(deps.platform, answers) })
              await appendAudit(trx, auditRecord(attempt, name, 'ok'))
              return result
            })
            break
          } catch (err) {
            if (!(err instanceof DialogNeeded)) throw err
            answers.push(await err.ask(deps.platform))
          }
        }
      } else {
        data = await handler(parsed.data, ctx)
      }
      return { ok: true, data: spec.output.parse(data) }
    } catch (err) {
      if (spec.audited) {
        const code = err instanceof AppError ? err.code : ErrorCode.Internal
        await appendAudit(db, auditRecord(ctx, name, code)).catch((e) =>
          logger.error('audit.append-failed', { procedure: name, error: String(e) }),
        )
      }
      return failure(err, logger)
    }
  }
}

function auditRecord(ctx: CallContext, procedure: string, result: string) {
  return {
    at: ctx.clock.now(),
    actorUserId: ctx.session?.userId ?? null,
    actorName: ctx.session?.username ?? null,
    procedure,
    affectedIds: ctx.affected,
    result,
  }
}

function validationError(err: ZodError): AppError {
  const fields: FieldIssue[] = err.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    // Schemas carry message keys; zod's own English defaults are replaced by the generic key.
    message: /^[a-z][A-Za-z]*(\.[A-Za-z]+)?$/.test(i.message) ? i.message : 'invalid',
  }))
  return new AppError(ErrorCode.Validation, 'input does not match schema', { fields })
}

function failure(err: unknown, logger?: Logger): Envelope<never> {
  if (err instanceof AppError) return { ok: false, error: { code: err.code, message: err.message, details: err.details } }
  if (err instanceof ZodError) {
    // Our own output failed its schema: a bug, never the user's input.
    const incidentId = randomUUID().slice(0, 8)
    logger?.error('ipc.output-invalid', { incidentId, issues: err.issues.map((i) => i.path.join('.')) })
    return { ok: false, error: { code: ErrorCode.Internal, message: 'internal error', details: { incidentId } } }
  }
  const incidentId = randomUUID().slice(0, 8)
  // The stack names code locations only; messages from sqlite may quote SQL, so they stay in the log file.
  logger?.error('ipc.internal', {
    incidentId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  })
  return { ok: false, error: { code: ErrorCode.Internal, message: 'internal error', details: { incidentId } } }
}

/**
 * A sender check for one trusted origin such as 'app://credit-desk': only the top frame of a page
 * from it. Compared as protocol + host, because URL.origin is 'null' for custom schemes.
 */
export function trustOrigin(origin: string): (sender: Sender) => boolean {
  const trusted = new URL(origin)
  return (sender) => {
    if (!sender.isMainFrame) return false
    try {
      const url = new URL(sender.url)
      return url.protocol === trusted.protocol && url.host === trusted.host
    } catch {
      return false
    }
  }
}
