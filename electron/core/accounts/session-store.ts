import type { Role } from '../../contract/roles'

export interface Session {
  userId: number
  username: string
  displayName: string
  roles: Role[]
  previousLoginAt: number | null
  lastActivity: number
  locked: boolean
  /** Wrong passwords typed on the lock screen; too many ends the session. */
  unlockFailures: number
}

/**
 * Logged-in sessions keyed by the IPC sender (the window's webContents), which the renderer
 * cannot forge; so no token ever reaches the renderer. Kept in memory only: a restart logs out.
 */
export class SessionStore {
  private readonly byOwner = new Map<string, Session>()

  get(owner: string): Session | undefined {
    return this.byOwner.get(owner)
  }

  start(owner: string, user: Omit<Session, 'locked' | 'unlockFailures' | 'lastActivity'>, now: number): Session {
    const session: Session = { ...user, lastActivity: now, locked: false, unlockFailures: 0 }
    this.byOwner.set(owner, session)
    return session
  }

  end(owner: string): void {
    this.byOwner.delete(owner)
  }

  /** Ends every session of a user (disabled, password reset by an administrator). */
  endForUser(userId: number): void {
    for (const [owner, s] of this.byOwner) if (s.userId === userId) this.byOwner.delete(owner)
  }

  /** Locks the session if it has been idle too long; returns whether it is locked now. */
  lockIfIdle(session: Session, now: number, idleMinutes: number): boolean {
    if (!session.locked && now - session.lastActivity > idleMinutes * 60_000) session.locked = true
    return session.locked
  }
}
