// The Electron shell is code too: the window's options, its guards, the IPC registration and the preload are run
// here against stand-ins for Electron's objects (the binary cannot run on this machine), and compared with what
// docs/security.md promises, table by table.
import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it, vi } from 'vitest'
import { IPC_CHANNEL, PROCEDURES } from '../../electron/contract/names'
import { CSP, CSP_META } from '../../electron/main/content-policy'
import { registerIpc } from '../../electron/main/ipc/register'
import { denyAllPermissions, guardNavigation, mainWebPreferences, mainWindowOptions } from '../../electron/main/window-policy'
import { errorOf, expectOk, freshBackend, ORIGIN } from '../helpers'

const SECURITY_MD = readFileSync('docs/security.md', 'utf8')

/** The rows of the table under `## heading`: first cell (backticks removed) → second cell. */
function table(heading: string): Map<string, string> {
  const section = SECURITY_MD.split(`## ${heading}`)[1]!.split('\n## ')[0]!
  const rows = section.split('\n').filter((l) => l.startsWith('| `'))
  return new Map(rows.map((l) => l.split('|').map((c) => c.trim())).map((cells) => [cells[1]!.replace(/`/g, ''), cells[2]!]))
}

/** `'self' data:` from "`'self' data:` (why …)": the code part of a cell. */
const codeOf = (cell: string) => /`([^`]*)`/.exec(cell)![1]!

describe('the window, as docs/security.md describes it', () => {
  it('has exactly the webPreferences of the table, DevTools only in development', () => {
    const documented = table('webPreferences of the main window')
    for (const packaged of [true, false]) {
      const prefs = mainWebPreferences('/app/preload/index.js', packaged)
      const { preload, ...rest } = prefs
      expect(preload).toBe('/app/preload/index.js')
      expect(Object.keys(rest).sort()).toEqual([...documented.keys()].sort())
      for (const [key, cell] of documented) {
        const expected = key === 'devTools' ? !packaged : codeOf(cell) === 'true'
        expect({ key, value: rest[key as keyof typeof rest] }).toEqual({ key, value: expected })
      }
      expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    }
    expect(mainWindowOptions('/p', true).webPreferences).toEqual(mainWebPreferences('/p', true))
  })

  it('stays on the app: foreign navigation and redirects are prevented, new windows and webviews refused', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>()
    let openHandler: ((d: { url: string }) => { action: string }) | null = null
    guardNavigation({ on: (event, listener) => listeners.set(event, listener), setWindowOpenHandler: (h) => (openHandler = h) }, (url) =>
      url.startsWith(`${ORIGIN}/`),
    )
    const attempt = (event: string, url: string) => {
      const e = {
        prevented: false,
        preventDefault() {
          this.prevented = true
        },
      }
      listeners.get(event)!(e, url)
      return e.prevented
    }
    expect(attempt('will-navigate', `${ORIGIN}/index.html#/records`)).toBe(false)
    expect(attempt('will-navigate', 'https://example.com/')).toBe(true)
    expect(attempt('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(attempt('will-redirect', 'http://10.0.0.1/')).toBe(true)
    expect(attempt('will-redirect', `${ORIGIN}/index.html`)).toBe(false)
    expect(attempt('will-attach-webview', `${ORIGIN}/index.html`)).toBe(true)
    expect(openHandler!({ url: `${ORIGIN}/index.html` })).toEqual({ action: 'deny' })
  })

  it('grants no permission, asked or checked', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null
    let check: ((...a: unknown[]) => boolean) | null = null
    denyAllPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) })
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'usb', 'openExternal']) {
      const granted = vi.fn()
      request!({}, permission, granted)
      expect(granted).toHaveBeenCalledWith(false)
      expect(check!({}, permission, ORIGIN)).toBe(false)
    }
  })

  it('never opens links outside the app (no shell.openExternal anywhere)', () => {
    let hits = ''
    try {
      hits = execFileSync('git', ['grep', '-l', 'openExternal', '--', 'electron', 'renderer'], { encoding: 'utf8' })
    } catch (err) {
      // git grep exits 1 when nothing matches
      expect((err as { status: number }).status).toBe(1)
    }
    expect(hits).toBe('')
  })
})

describe('the Content Security Policy', () => {
  it('is the table of docs/security.md, as a header; the <meta> form is the same minus frame-ancestors', () => {
    const documented = table('Content Security Policy')
    const header = new Map(CSP.split('; ').map((d) => [d.split(' ')[0]!, d.slice(d.indexOf(' ') + 1)]))
    expect(header).toEqual(new Map([...documented].map(([k, cell]) => [k, codeOf(cell)])))
    expect(CSP_META.split('; ')).toEqual(CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')))
    expect(readFileSync('renderer/index.html', 'utf8')).toContain('content="%CONTENT_SECURITY_POLICY%"')
  })
})

describe('the fuses of a release build', () => {
  it('are set in electron-builder.yml exactly as docs/security.md lists them', () => {
    const config = parseYaml(readFileSync('electron-builder.yml', 'utf8')) as { electronFuses: Record<string, boolean> }
    const documented = table('Fuses set by a release build')
    expect(config.electronFuses).toEqual(Object.fromEntries([...documented].map(([k, cell]) => [k, codeOf(cell) === 'true'])))
    expect(config.electronFuses.runAsNode).toBe(false)
    expect(config.electronFuses.onlyLoadAppFromAsar).toBe(true)
  })
})

describe('IPC registration', () => {
  async function registered() {
    const b = await freshBackend()
    let handler: ((event: unknown, name: unknown, input: unknown) => Promise<unknown>) | null = null
    let channel = ''
    registerIpc({ handle: ((c: string, h: typeof handler) => ((channel = c), (handler = h))) as never }, b.dispatch)
    const mainFrame = { url: `${ORIGIN}/index.html#/` }
    const call = (senderFrame: { url: string } | null, name = 'auth:me') =>
      handler!({ sender: { id: 7, mainFrame }, senderFrame }, name, {}) as Promise<{
        ok: boolean
        data?: unknown
        error?: { code: string }
      }>
    return { b, channel, call, mainFrame }
  }

  it('answers the top frame of the app on the one channel', async () => {
    const { channel, call, mainFrame } = await registered()
    expect(channel).toBe(IPC_CHANNEL)
    expect(expectOk(await call(mainFrame))).toMatchObject({ setupDone: false, user: null })
  })

  it('takes the sender from Electron: a sub-frame, a foreign page or a destroyed frame is refused and logged', async () => {
    const { b, call } = await registered()
    const subFrame = { url: `${ORIGIN}/index.html#/` } // same URL, but not the window's main frame
    expect(errorOf(await call(subFrame)).code).toBe('UNTRUSTED_SENDER')
    const foreign = { url: 'https://evil.example/' }
    expect(errorOf(await call(foreign)).code).toBe('UNTRUSTED_SENDER')
    expect(errorOf(await call(null)).code).toBe('UNTRUSTED_SENDER')
    expect(await b.db('audit_log').where('result', 'UNTRUSTED_SENDER').count({ n: '*' }).first()).toEqual({ n: 3 })
  })
})

describe('the preload', () => {
  it('exposes one frozen window.api with exactly one function per procedure, each on the one channel', async () => {
    const exposed = new Map<string, unknown>()
    const invoke = vi.fn(async () => ({ ok: true }))
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: { invoke },
    }))
    await import('../../electron/preload/index')
    expect([...exposed.keys()]).toEqual(['api'])
    const api = exposed.get('api') as Record<string, (input?: unknown) => Promise<unknown>>
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.keys(api).sort()).toEqual([...PROCEDURES].sort())
    await api['auth:me']!()
    await api['records:list']!({ page: 2 })
    expect(invoke.mock.calls).toEqual([
      [IPC_CHANNEL, 'auth:me', {}],
      [IPC_CHANNEL, 'records:list', { page: 2 }],
    ])
    vi.doUnmock('electron')
  })
})
