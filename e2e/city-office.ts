// A demo office (accounts with one-time passwords, 100 records, units) that already holds the city's exchange key —
// the administrator's step, covered in exchange.spec — and the city's side of the stick: its key pair, and opening
// what the county sends.
import type { Page } from '@playwright/test'
import { main } from '../electron/cli/index'
import { openPackage } from '../electron/core/exchange/envelope'
import { currentOwnKey, importPeer } from '../electron/core/exchange/keyring'
import { payloadReader } from '../electron/core/exchange/payload'
import { suiteOf } from '../electron/core/exchange/suites'
import { loadFieldKeys, noProtector } from '../electron/core/security/key-store'
import { systemClock } from '../electron/core/shared/clock'
import { unlockDataDir } from '../electron/core/shared/data-dir-lock'
import { openDatabase } from '../electron/core/shared/open-database'
import { expect } from './fixtures'
import { changeInitialPassword, login } from './pages'

export const SM = suiteOf('SM2-SM3-SM4')!
const NEW_PASSWORD = 'Work#2026-desk'

export function cityOffice() {
  const city = SM.generate()
  const accounts: Record<string, string> = {}
  const state = { countyPub: '' }

  /** prepareDataDir: seed the demo office and give it the city's key. */
  async function prepare(dataDir: string) {
    let out = ''
    if (
      (await main(['demo', 'seed', '--records', '100', '--data-dir', dataDir, '--json'], {
        log: (s) => void (out += s),
        error: () => {},
      })) !== 0
    )
      throw new Error('demo seed failed')
    for (const a of JSON.parse(out).accounts as Array<{ username: string; password: string }>) accounts[a.username] = a.password
    unlockDataDir(dataDir)
    const { db } = await openDatabase(dataDir)
    try {
      await importPeer(db, systemClock, { name: '市社会信用信息平台', pemText: city.publicPem }, null)
      state.countyPub = (await currentOwnKey(db, await loadFieldKeys(db, dataDir, noProtector), systemClock)).publicPem
    } finally {
      await db.destroy()
      unlockDataDir(dataDir)
    }
  }

  /** Logs a demo account in; the first time, it replaces the one-time password. */
  async function signIn(page: Page, role: string, first: boolean) {
    await login(page, role, first ? accounts[role]! : NEW_PASSWORD)
    if (first) await changeInitialPassword(page, accounts[role]!, NEW_PASSWORD)
    await expect(page.getByTestId('home-page')).toBeVisible()
  }

  /** The city opens a county package: its header, digest and every table's rows. */
  async function open(path: string) {
    const tables: Record<string, Array<Record<string, unknown>>> = {}
    let counts: Record<string, number> = {}
    const reader = payloadReader((name, data) => {
      if (name === 'manifest.json') counts = JSON.parse(data.toString('utf8')).counts
      const table = /^tables\/([^/]+)\//.exec(name)?.[1]
      if (table)
        for (const line of data.toString('utf8').split('\n'))
          if (line) (tables[table] ??= []).push(JSON.parse(line) as Record<string, unknown>)
    })
    const opened = await openPackage(
      path,
      {
        ownKeys: new Map([[SM.fingerprint(city.publicPem), city.privatePem]]),
        senders: new Map([[SM.fingerprint(state.countyPub), { publicPem: state.countyPub, retired: false }]]),
      },
      (p) => reader.write(p),
    )
    await reader.end()
    return { header: opened.header, digest: opened.digest, counts, tables }
  }

  return { city, accounts, state, prepare, signIn, open }
}
