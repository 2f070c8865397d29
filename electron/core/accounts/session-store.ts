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

  /** Ends the owner's session; returns it (for the login log) if there was one. */
  end(owner: string): Session | undefined {
    const session = this.byOwner.get(owner)
    this.byOwner.delete(owner)
    return session
  }

  /** Ends every session of a user (disabled, password reset by an administrator); returns them. */
  endForUser(userId: number): Session[] {
    const ended = [...this.byOwner].filter(([, s]) => s.userId === userId)
    for (const [owner] of ended) this.byOwner.delete(owner)
    return ended.map(([, s]) => s)
  }

  /** Ends every session (the app is closing); returns them. */
  endAll(): Session[] {
    const all = [...this.byOwner.values()]
    this.byOwner.clear()
    return all
  }

  /**
   * Locks the session if it has been idle too long. `lockedAt` is set only by the call that locked it: the moment the
   * idle time ran out, which is when the lock screen came up.
   */
  lockIfIdle(session: Session, now: number, idleMinutes: number): { locked: boolean; lockedAt: number | null } {
    if (!session.locked && now - session.lastActivity > idleMinutes * 60_000) {
      session.locked = true
      return { locked: true, lockedAt: session.lastActivity + idleMinutes * 60_000 }
    }
    return { locked: session.locked, lockedAt: null }
  }
}
