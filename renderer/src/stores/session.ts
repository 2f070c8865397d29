import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { allowedFor, ErrorCode, type ProcedureName, type Role } from '../../../electron/contract'
import type { Me, SessionUser } from '../../../electron/contract/schemas/auth'
import { call, setSessionListener } from '../api/client'

const HEARTBEAT_MS = 30_000

/** Who is logged in, whether the screen is locked, and the idle timer that locks it. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const locked = ref(false)
  let lastInput = Date.now()
  let lastBeat = 0
  let timer: ReturnType<typeof setInterval> | undefined

  const user = computed<SessionUser | null>(() => me.value?.user ?? null)
  const roles = computed<Role[]>(() => user.value?.roles ?? [])
  const hasRole = (...wanted: Role[]) => wanted.some((r) => roles.value.includes(r))
  /** Whether the contract lets this user call the procedure (menus, routes and buttons follow the router's rule). */
  const may = (procedure: ProcedureName) => allowedFor(procedure, roles.value)

  async function refresh(): Promise<Me> {
    me.value = await call('auth:me', {})
    locked.value = me.value.locked
    return me.value
  }

  async function login(username: string, password: string): Promise<SessionUser> {
    await call('auth:login', { username, password })
    await refresh()
    startIdleWatch()
    return user.value!
  }

  async function logout(): Promise<void> {
    stopIdleWatch()
    await call('auth:logout', {}).catch(() => undefined)
    await refresh()
  }

  async function unlock(password: string): Promise<void> {
    await call('auth:unlock', { password })
    locked.value = false
    lastInput = Date.now()
  }

  function noteInput(): void {
    lastInput = Date.now()
  }

  // Main enforces the idle lock; the renderer only tells it about real user input (throttled)
  // and shows the lock screen as soon as its own clock says the time is up.
  function tick(): void {
    if (!user.value || locked.value) return
    const idleMs = (me.value?.idleLockMinutes ?? 15) * 60_000
    if (Date.now() - lastInput >= idleMs) {
      locked.value = true
      return
    }
    if (lastInput > lastBeat && Date.now() - lastBeat >= HEARTBEAT_MS) {
      lastBeat = Date.now()
      void call('auth:heartbeat', {}).catch(() => undefined)
    }
  }

  function startIdleWatch(): void {
    stopIdleWatch()
    lastInput = Date.now()
    for (const ev of ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart']) window.addEventListener(ev, noteInput, { passive: true })
    timer = setInterval(tick, 5_000)
  }

  function stopIdleWatch(): void {
    if (timer) clearInterval(timer)
    for (const ev of ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart']) window.removeEventListener(ev, noteInput)
  }

  setSessionListener((code) => {
    if (code === ErrorCode.SessionLocked) locked.value = true
    else void refresh().then(() => onChange?.())
  })
  let onChange: (() => void) | undefined
  /** The router registers here to re-run its guards when a call finds the session gone. */
  function onSessionChange(fn: () => void) {
    onChange = fn
  }

  return { me, user, roles, locked, hasRole, may, refresh, login, logout, unlock, startIdleWatch, onSessionChange }
})
