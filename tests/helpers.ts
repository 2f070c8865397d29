import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { randomBytes } from 'node:crypto'
import { sm4 } from 'sm-crypto-v2'
import { afterEach } from 'vitest'
import { SEALED_FILE_MAGIC, type FieldKeys } from '../electron/core/security/field-crypto'
import { openDatabase } from '../electron/core/shared/open-database'
import { manualClock } from '../electron/core/shared/clock'
import { completeUscc } from '../electron/core/codes/uscc'
import { idCardCheckChar } from '../electron/core/codes/idcard'
import { createBackend, type Backend } from '../electron/main/compose'
import { trustOrigin } from '../electron/main/ipc/router'
import { memoryLogger } from '../electron/main/logger'
import type { Sender } from '../electron/main/ipc/context'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credit-desk-test-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A migrated database in a fresh data folder, closed after the test. */
export async function freshDb(): Promise<{ db: Knex; dataDir: string }> {
  const dataDir = tempDir()
  const { db } = await openDatabase(dataDir)
  cleanups.push(() => db.destroy())
  return { db, dataDir }
}

export const ORIGIN = 'app://credit-desk'
export const WINDOW: Sender = { id: '1', url: `${ORIGIN}/index.html#/`, isMainFrame: true }

/** The real router and handlers over a fresh data folder, with a clock the test moves. */
export async function freshBackend(): Promise<
  Backend & {
    clock: ReturnType<typeof manualClock>
    logger: ReturnType<typeof memoryLogger>
    dataDir: string
    savePath: { value: string | null }
    openPath: { value: string | null }
  }
> {
  const dataDir = tempDir()
  const clock = manualClock()
  const logger = memoryLogger()
  const savePath = { value: null as string | null }
  const openPath = { value: null as string | null }
  const backend = await createBackend({
    dataDir,
    clock,
    logger,
    isTrustedSender: trustOrigin(ORIGIN),
    platform: {
      chooseSavePath: async () => savePath.value,
      chooseOpenPath: async () => openPath.value,
      // Rendering a page to PDF needs a browser: the end-to-end specs check the real output.
      printToPdf: async (_sender, path) => writeFileSync(path, '%PDF-1.7 stand-in'),
    },
  })
  cleanups.push(() => backend.close())
  // db is read through: a restore replaces the backend's database.
  return Object.defineProperty({ ...backend, clock, logger, dataDir, savePath, openPath }, 'db', { get: () => backend.db })
}

export const SETUP = {
  orgName: '示例县信用办',
  regionCode: '350102',
  orgCreditCode: '91350100M000100Y43',
  adminUsername: 'admin',
  adminDisplayName: '王管理',
  adminPassword: 'Zhang#2026x',
}

/** Completes setup and logs the admin in on WINDOW; returns a typed caller. */
export async function adminSession(b: Backend) {
  const call = (name: string, input: unknown = {}, sender: Sender = WINDOW) => b.dispatch(sender, name, input)
  expectOk(await call('setup:complete', SETUP))
  expectOk(await call('auth:login', { username: 'admin', password: SETUP.adminPassword }))
  return call
}

export function expectOk<T>(env: { ok: boolean; data?: T; error?: unknown }): T {
  if (!env.ok) throw new Error(`expected ok, got ${JSON.stringify(env.error)}`)
  return env.data as T
}

export function errorOf(env: { ok: boolean; error?: { code: string; details?: { fields?: Array<{ path: string; message: string }> } } }) {
  if (env.ok) throw new Error('expected an error')
  return env.error!
}

/** Creates a user with the given roles (through the admin's caller) and logs them in on a window of their own. */
export async function userSession(
  b: Backend,
  adminCall: (name: string, input?: unknown) => Promise<{ ok: boolean }>,
  username: string,
  roles: string[],
) {
  const sender: Sender = { ...WINDOW, id: `window-${username}` }
  expectOk(await adminCall('users:create', { username, displayName: username, roles, initialPassword: 'Init#2026b' }))
  expectOk(await b.dispatch(sender, 'auth:login', { username, password: 'Init#2026b' }))
  expectOk(await b.dispatch(sender, 'auth:change-password', { oldPassword: 'Init#2026b', newPassword: 'Work#2026cc' }))
  return (name: string, input: unknown = {}) => b.dispatch(sender, name, input)
}

/** A valid 行政处罚 record of a company (SGS_CF), decided 2026-11-18: what router tests enter and vary. */
export const PENALTY = {
  XDR_MC: '某某食品有限公司',
  XDR_LB: 'legal',
  XDR_SHXYM: '91350100M000100Y43',
  CF_WSH: '罚〔2026〕1号',
  CF_WFXW: '销售过期食品',
  CF_SY: '经查属实',
  CF_YJ: '《食品安全法》',
  CF_CFLB: '罚款',
  CF_NR: '罚款五万元',
  CF_NR_FK: '5',
  CF_JDRQ: '2026-11-18',
  CF_YXQ: '2027-11-18',
  CF_CFJG: '某县市场监督管理局',
  CF_CFJGDM: '91440300708461136T',
  CF_SJLY: '某县市场监督管理局',
  CF_SJLYDM: '91440300708461136T',
}

/** The n-th valid 统一社会信用代码 of a made-up company (GB 32100 check character computed). */
export function validUscc(n: number): string {
  return completeUscc(`91350102MA${String(n).padStart(6, '0')}`)
}

/** The n-th valid 身份证号 of a made-up person born 1980-01-01 (GB 11643 check character computed). */
export function validIdNumber(n: number): string {
  const body = `35010219800101${String(n).padStart(3, '0')}`
  return body + idCardCheckChar(body)
}

/** A file as format 1 sealed it (before scans had keys of their own): magic | iv | tag | SM4-GCM under the field key. */
export function sealFormat1(k: FieldKeys, plain: Uint8Array, context: string): Buffer {
  const iv = randomBytes(12)
  const { output, tag } = sm4.encrypt(plain, k.encKey, {
    mode: 'gcm',
    iv,
    associatedData: Buffer.from(context),
    output: 'array',
    outputTag: true,
  })
  return Buffer.concat([SEALED_FILE_MAGIC, iv, Buffer.from(tag!), Buffer.from(output)])
}
