// Packages written in format version 1 (by the app before format 2; fixtures in tests/fixtures/v1-packages, made at
// commit 6bdcecd) still open: on the city's command line, and in the county app (an issued task package lands).
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { openPackage, readStructure } from '../../electron/core/exchange/envelope'
import { importPeer } from '../../electron/core/exchange/keyring'
import { importPackage } from '../../electron/core/exchange/packages'
import { payloadReader } from '../../electron/core/exchange/payload'
import { suiteOf } from '../../electron/core/exchange/suites'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { sealField } from '../../electron/core/security/field-crypto'
import { manualClock } from '../../electron/core/shared/clock'
import { completeSetup } from '../../electron/core/system/setup'
import { freshDb, SETUP, tempDir } from '../helpers'

const DIR = join(__dirname, '../fixtures/v1-packages')
const SM = suiteOf('SM2-SM3-SM4')!
const pem = (name: string) => readFileSync(join(DIR, name), 'utf8')
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { sha256: Record<string, string> }
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('format version 1 packages', () => {
  it('a v1 data package verifies and gives back every entry byte for byte', async () => {
    expect((await readStructure(join(DIR, 'data-1.cdpkg'))).header.version).toBe(1)
    const got: Record<string, string> = {}
    const reader = payloadReader((name, data) => {
      got[name] = sha256(data)
    })
    const keys = {
      ownKeys: new Map([[SM.fingerprint(pem('city.pub.pem')), pem('city.key.pem')]]),
      senders: new Map([[SM.fingerprint(pem('county.pub.pem')), { publicPem: pem('county.pub.pem'), retired: false }]]),
    }
    await openPackage(join(DIR, 'data-1.cdpkg'), keys, (plain) => reader.write(plain))
    await reader.end()
    expect(got).toEqual(expected.sha256)
  })

  it('the city opens a v1 data package on the command line into the same files', async () => {
    const out = join(tempDir(), 'opened')
    const code = await main(
      [
        'package',
        'open',
        join(DIR, 'data-1.cdpkg'),
        '--key',
        join(DIR, 'city.key.pem'),
        '--sender',
        join(DIR, 'county.pub.pem'),
        '--out',
        out,
      ],
      { log: () => {}, error: () => {} },
    )
    expect(code).toBe(0)
    const files = Object.fromEntries(
      readdirSync(out, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && e.name !== 'header.json')
        .map((e) => {
          const path = join(e.parentPath, e.name)
          return [path.slice(out.length + 1), sha256(readFileSync(path))]
        }),
    )
    expect(files).toEqual(expected.sha256)
  })

  it('a v1 task package from the city lands in the county app', async () => {
    const { db, dataDir } = await freshDb()
    const clock = manualClock(Date.parse('2026-12-02T02:00:00Z'))
    await completeSetup(db, clock, SETUP)
    const keys = await loadFieldKeys(db, dataDir, noProtector)
    // The county's key pair is the one the fixture was addressed to.
    await db('exchange_keys').del()
    await db('exchange_keys').insert({
      suite: SM.name,
      fingerprint: SM.fingerprint(pem('county.pub.pem')),
      public_pem: pem('county.pub.pem'),
      private_sealed: sealField(keys, pem('county.key.pem'), 'exchange_keys.private_pem'),
      created_at: clock.now(),
    })
    await importPeer(db, clock, { name: '市信用办', pemText: pem('city.pub.pem') }, null)
    const result = await importPackage({ db, keys, dataDir, clock }, { path: join(DIR, 'tasks-1.cdpkg'), userId: null, createUnits: true })
    expect(result).toMatchObject({ kind: 'tasks', sequence: 1, alreadyImported: false, changes: { plansCreated: 1, tasksCreated: 6 } })
    expect(await db('plans').pluck('external_id')).toEqual(['某信用〔2026〕3号'])
    await db.destroy()
  })
})
