// What a data package may carry is the administrator's per-peer choice; by default no civil-servant archive leaves
// the office. Personal data that does leave is counted, confirmed and audited. A part left out keeps its watermark,
// so it travels complete once allowed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { openPackage, writePackage } from '../../electron/core/exchange/envelope'
import { setPeerParts } from '../../electron/core/exchange/keyring'
import { exportPackage, exportPreview, importPackage, receiptRows } from '../../electron/core/exchange/packages'
import { payloadReader, tablesPayload } from '../../electron/core/exchange/payload'
import { suiteOf } from '../../electron/core/exchange/suites'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { systemClock } from '../../electron/core/shared/clock'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { countyWithCity } from './county-fixture'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession } from '../helpers'

const SM = suiteOf('SM2-SM3-SM4')!

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err, json: () => JSON.parse(out.at(-1)!) as Record<string, unknown> }
}

const county = () => countyWithCity({ records: 60, people: 4 })

/** The tables (and their row counts) the city finds in a package. */
async function tablesIn(
  path: string,
  keysDir: string,
): Promise<{ counts: Record<string, number>; header: Awaited<ReturnType<typeof openPackage>> }> {
  const city = readFileSync(join(keysDir, 'city.key.pem'), 'utf8')
  const countyPub = readFileSync(join(keysDir, 'county.pub.pem'), 'utf8')
  let counts: Record<string, number> = {}
  const reader = payloadReader((name, data) => {
    if (name === 'manifest.json') counts = (JSON.parse(data.toString('utf8')) as { counts: Record<string, number> }).counts
  })
  const header = await openPackage(
    path,
    {
      ownKeys: new Map([[SM.fingerprint(SM.publicFromPrivate(city)), city]]),
      senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
    },
    (p) => reader.write(p),
  )
  await reader.end()
  return { counts, header }
}

describe('what leaves the office', () => {
  it('by default no archive travels; a package with personal data needs confirming; the command line names what leaves', async () => {
    const { dataDir, keysDir } = await county()
    const out = tempDir()
    const refused = await run('package', 'export', '--to', join(out, 'p.cdpkg'), '--data-dir', dataDir)
    expect(refused.code).toBe(1)
    expect(refused.err.join('\n')).toMatch(/含有个人信息（完整证件号码）：含证件号码的归集记录 \d+ 条/)
    expect(refused.err.join('\n')).toContain('--confirm-personal')
    const sent = await run('package', 'export', '--to', join(out, 'p.cdpkg'), '--data-dir', dataDir, '--confirm-personal')
    expect(sent.code).toBe(0)
    const { counts } = await tablesIn(join(out, 'p.cdpkg'), keysDir)
    expect(Object.keys(counts).sort()).toEqual([
      'catalog_items',
      'commitments',
      'monthly_report',
      'record_actions',
      'record_changes',
      'records',
      'sanction_cases',
      'task_progress',
    ])
    // One export may add archives; the audit row says what went.
    expect(
      (
        await run(
          'package',
          'export',
          '--to',
          join(out, 'q.cdpkg'),
          '--data-dir',
          dataDir,
          '--include',
          'archives',
          '--confirm-personal',
          '--full',
        )
      ).code,
    ).toBe(0)
    expect((await tablesIn(join(out, 'q.cdpkg'), keysDir)).counts).toMatchObject({ people: 4 })
    expect((await run('package', 'export', '--to', join(out, 'r.cdpkg'), '--data-dir', dataDir, '--include', 'everything')).code).toBe(2)
    const { db } = await openDatabase(dataDir)
    try {
      const audit = (await db('audit_log').where('procedure', 'cli:package-export').orderBy('id').pluck('affected_ids')) as string[]
      expect(JSON.parse(audit[0]!)).toEqual(
        expect.arrayContaining(['parts:catalog,records,progress,credit', expect.stringMatching(/^personal:records=\d+$/)]),
      )
      expect(JSON.parse(audit[1]!)).toEqual(expect.arrayContaining(['parts:catalog,records,progress,archives,credit', 'personal:people=4']))
    } finally {
      await db.destroy()
      unlockDataDir(dataDir)
    }
  })

  it('a part left out keeps its watermark: allowed later, it travels complete in the next increment', async () => {
    const { dataDir, keysDir } = await county()
    const out = tempDir()
    const { db } = await openDatabase(dataDir)
    try {
      const ctx = { db, keys: await loadFieldKeys(db, dataDir, noProtector), dataDir, clock: systemClock }
      const first = await exportPackage(ctx, { path: join(out, '1.cdpkg'), full: false, userId: null, confirmPersonal: true })
      expect(first.counts.people).toBeUndefined()
      // The city acknowledges it.
      const opened = await tablesIn(join(out, '1.cdpkg'), keysDir)
      await writePackage({
        path: join(out, 'receipt.cdpkg'),
        suite: SM,
        kind: 'receipt',
        sequence: 1,
        createdAt: new Date().toISOString(),
        sender: { orgName: '市信用办', regionCode: '350100', uscc: '' },
        senderPrivatePem: readFileSync(join(keysDir, 'city.key.pem'), 'utf8'),
        recipientPublicPem: readFileSync(join(keysDir, 'county.pub.pem'), 'utf8'),
        payload: tablesPayload('receipt', {
          receipts: receiptRows(opened.header.header, opened.header.digest, opened.counts, new Date().toISOString()),
        }),
      })
      // More than an import may hold is refused whole, signed or not (here with a tiny limit).
      await expect(importPackage(ctx, { path: join(out, 'receipt.cdpkg'), userId: null, maxBytes: 100 })).rejects.toMatchObject({
        code: 'PACKAGE_REJECTED',
        details: { reason: 'bad_payload' },
      })
      expect(await db('exchange_packages').where('direction', 'in').count({ n: '*' })).toEqual([{ n: 0 }])
      expect((await importPackage(ctx, { path: join(out, 'receipt.cdpkg'), userId: null })).changes).toMatchObject({
        packagesAcknowledged: 1,
      })
      // Nothing new since, except that the administrator now allows archives: all four people go.
      const peer = (await db('exchange_peers').first('id'))!.id
      await setPeerParts(db, peer, ['catalog', 'records', 'progress', 'archives'])
      const preview = await exportPreview(ctx, { full: false })
      expect(preview.counts).toMatchObject({ records: 0, people: 4 })
      expect(preview.personal).toMatchObject({ people: 4 })
      const second = await exportPackage(ctx, { path: join(out, '2.cdpkg'), full: false, userId: null, confirmPersonal: true })
      expect(second.counts).toMatchObject({ records: 0, people: 4 })
      expect(second.counts.archive_entries).toBeGreaterThan(4)
    } finally {
      await db.destroy()
      unlockDataDir(dataDir)
    }
  })

  it("only the administrator sets a peer's parts; an unconfirmed export with personal data is refused before any dialog", async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const dir = tempDir()
    const city = SM.generate()
    const { writeFileSync } = await import('node:fs')
    writeFileSync(join(dir, 'city.pub.pem'), city.publicPem)
    b.openPath.value = join(dir, 'city.pub.pem')
    const peer = (expectOk(await admin('exchange:import-peer', { name: '市社会信用信息平台' })) as { peer: { id: number } }).peer
    expect((expectOk(await clerk('exchange:status')) as { peers: Array<{ parts: string[] }> }).peers[0]!.parts).toEqual([
      'catalog',
      'records',
      'progress',
      'credit',
    ])
    expect(errorOf(await clerk('exchange:set-peer-parts', { peerId: peer.id, parts: ['archives'] })).code).toBe('FORBIDDEN')
    expect(expectOk(await admin('exchange:set-peer-parts', { peerId: peer.id, parts: ['archives', 'records', 'archives'] }))).toMatchObject(
      { parts: ['records', 'archives'] },
    )
    const audit = await b.db('audit_log').where('procedure', 'exchange:set-peer-parts').orderBy('id').select('result', 'affected_ids')
    expect(audit.map((a) => a.result)).toEqual(['FORBIDDEN', 'ok'])
    expect(JSON.parse(audit[1]!.affected_ids)).toEqual([`peer:${peer.id}`, 'parts:records,archives'])

    // A person on file: the export now carries personal data, so it must be confirmed.
    const unit = (
      expectOk(await admin('units:create', { parentId: null, name: '县财政局', kind: 'county_dept', sortOrder: 1 })) as { id: number }
    ).id
    const keeper = (await b.db('users').where('username', 'clerk1').first('id'))!.id
    expectOk(await admin('users:update', { id: keeper, displayName: 'clerk1', roles: ['clerk'], unitId: unit, archiveScope: 'all' }))
    expectOk(
      await clerk('people:create', {
        name: '张伟',
        idNumber: '11010519491231002X',
        unitId: unit,
        post: '科员',
        rank: null,
        politicalStatus: null,
        entryDate: '2008-07-01',
        status: 'serving',
      }),
    )
    expect((expectOk(await clerk('exchange:preview', { full: false })) as { personal: Record<string, number> }).personal).toMatchObject({
      people: 1,
    })
    let dialogs = 0
    Object.defineProperty(b.savePath, 'value', { get: () => (dialogs++, join(dir, 'county-1.cdpkg')) })
    const refused = errorOf(await clerk('exchange:export-start', { full: false }))
    expect(refused).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'personal_unconfirmed', personal: { people: 1 } } })
    expect(dialogs).toBe(0) // refused before the stick was asked for
    expect(expectOk(await clerk('exchange:export-start', { full: false, confirmPersonal: true }))).toMatchObject({
      job: { state: 'running' },
    })
    expect(dialogs).toBe(1)
  })
})
