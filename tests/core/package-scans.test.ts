// Stamped scans in a county data package: streamed from their sealed files into the package through the crypto
// workers, named and listed by SM3, sent once however many reports cite them; a scan stored before its SM3 was kept
// still goes (and gets its SM3); a scan altered at rest stops the export with nothing left behind. Civil-servant
// archives travel the same way, incrementally.
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { attachmentPath, storeAttachment } from '../../electron/core/attachments/attachment-store'
import { addEntry } from '../../electron/core/archives/entries'
import { createPerson } from '../../electron/core/archives/people'
import { openPackage } from '../../electron/core/exchange/envelope'
import { randomBytes, sm3Digest } from '../../electron/core/exchange/gm'
import { importPeer } from '../../electron/core/exchange/keyring'
import { exportPackage } from '../../electron/core/exchange/packages'
import { ctrInPool, payloadReader, type Manifest } from '../../electron/core/exchange/payload'
import { main } from '../../electron/cli/index'
import { suiteOf } from '../../electron/core/exchange/suites'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { manualClock } from '../../electron/core/shared/clock'
import { completeSetup } from '../../electron/core/system/setup'
import { freshDb, sealFormat1, SETUP, tempDir } from '../helpers'

const SM = suiteOf('SM2-SM3-SM4')!

async function countyWithScans(bigBytes = 2_500_000) {
  const { db, dataDir } = await freshDb()
  const clock = manualClock(Date.parse('2026-11-23T02:00:00Z'))
  await completeSetup(db, clock, SETUP)
  const keys = await loadFieldKeys(db, dataDir, noProtector)
  const city = SM.generate()
  await importPeer(db, clock, { name: '市信用办', pemText: city.publicPem }, null)
  const user = (await db('users').first('id'))!.id
  const [planId] = await db('plans').insert({ uid: randomUUID(), title: '2026年工作要点', year: 2026, external_id: 'P1', created_at: 0 })
  const [taskId] = await db('tasks').insert({
    uid: randomUUID(),
    plan_id: planId,
    path: '一',
    number: '一',
    title: '双公示',
    section: '',
    source_text: '',
    status: 'assigned',
    external_id: 'P1#一',
    sort_order: 0,
    created_at: 0,
  })
  const files = tempDir()
  const scans: Record<string, Buffer> = {}
  const store = async (name: string, bytes: Buffer) => {
    writeFileSync(join(files, name), bytes)
    scans[name] = bytes
    return storeAttachment(db, keys, dataDir, join(files, name), 0)
  }
  const big = await store('big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bigBytes)])) // several pieces
  const small = await store('small.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(3000)]))
  const legacy = await store('legacy.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70_000)]))
  await db('attachments').where({ digest: legacy.digest }).update({ sm3_sealed: null }) // stored before SM3s were kept
  // Sealed in format 1, under the field key: it cannot travel as it is, so it is opened and sealed again.
  writeFileSync(attachmentPath(dataDir, small.digest), sealFormat1(keys, scans['small.png']!, 'attachments'))
  const event = async (text: string, cited: Array<[string, string]>) => {
    const [id] = await db('task_events').insert({ task_id: taskId, kind: 'progress', text, status: 'done', actor_id: user, at: 1 })
    for (const [digest, fileName] of cited) await db('task_event_attachments').insert({ event_id: id, digest, file_name: fileName })
  }
  await event('第一次进展', [
    [big.digest, '盖章扫描件.pdf'],
    [small.digest, '照片.png'],
  ])
  await event('第二次进展', [
    [big.digest, '盖章扫描件（重报）.pdf'],
    [legacy.digest, '旧扫描件.pdf'],
  ])
  const ctx = { db, keys, dataDir, clock }
  const cityKeys = {
    ownKeys: new Map([[SM.fingerprint(city.publicPem), city.privatePem]]),
    senders: new Map() as Map<string, { publicPem: string; retired: boolean }>,
  }
  return { db, ctx, dataDir, scans, digests: { big: big.digest, legacy: legacy.digest }, city, cityKeys, keys }
}

type County = Awaited<ReturnType<typeof countyWithScans>>

/** The county's current public key, trusted on the city's side. */
async function trustCounty(c: County): Promise<string> {
  const countyPub = (await c.db('exchange_keys').whereNull('retired_at').first('public_pem'))!.public_pem
  c.cityKeys.senders.set(SM.fingerprint(countyPub), { publicPem: countyPub, retired: false })
  return countyPub
}

async function exported(c: County): Promise<string> {
  const path = join(tempDir(), 'county-1.cdpkg')
  await exportPackage(c.ctx, { path, full: true, userId: null, include: ['archives'], confirmPersonal: true })
  return path
}

/** What the city reads from a package: every entry, and the rows of a table's first part. */
async function openAsCity(c: County, path: string) {
  await trustCounty(c)
  const entries = new Map<string, Buffer>()
  const reader = payloadReader((name, data) => void entries.set(name, data))
  await openPackage(path, c.cityKeys, (plain) => reader.write(plain))
  await reader.end()
  const rows = (table: string) =>
    (entries.get(`tables/${table}/000001.ndjson`)?.toString().trim().split('\n') ?? []).map((l) => JSON.parse(l) as Record<string, unknown>)
  return { entries, rows }
}

describe('scans in a data package', () => {
  it('carry a step entered without an app account (a 反馈表 on the command line) under the name it was entered for', async () => {
    const c = await countyWithScans()
    const taskId = (await c.db('tasks').first('id'))!.id
    await c.db('task_events').insert({
      task_id: taskId,
      kind: 'progress',
      text: '反馈表：已完成',
      status: 'done',
      actor_id: null,
      actor_label: '县发展改革局',
      via: 'feedback_form',
      at: 2,
    })
    const path = join(tempDir(), 'county-1.cdpkg')
    await exportPackage(c.ctx, { path, full: true, userId: null, include: [], confirmPersonal: true })
    const { rows } = await openAsCity(c, path)
    expect(rows('task_progress').find((p) => p.text === '反馈表：已完成')).toMatchObject({ by: '县发展改革局' })
    expect(rows('task_progress').find((p) => p.text === '第一次进展')!.by).toBeTruthy()
  })

  it('go once each, byte for byte, named and listed by SM3, cited by the progress rows', async () => {
    const c = await countyWithScans()
    const out = tempDir()
    const path = join(out, 'county-1.cdpkg')
    await exportPackage(c.ctx, { path, full: true, userId: null, include: ['archives'], confirmPersonal: true })
    const { entries } = await openAsCity(c, path)

    const bySm3 = Object.fromEntries(Object.entries(c.scans).map(([name, bytes]) => [name, sm3Digest(bytes).toString('hex')]))
    const attachmentNames = [...entries.keys()].filter((n) => n.startsWith('attachments/')).sort()
    expect(attachmentNames).toEqual(
      Object.values(bySm3)
        .map((h) => `attachments/${h}`)
        .sort(),
    )
    for (const [name, bytes] of Object.entries(c.scans)) expect(entries.get(`attachments/${bySm3[name]}`)!.equals(bytes)).toBe(true)

    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest
    expect(manifest.attachments).toBe(3)
    // Carried as the ciphertext it is stored in, its own key listed (inside the package's encryption).
    const big = manifest.entries.find((e) => e.name === `attachments/${bySm3['big.pdf']}`)
    expect(big).toEqual({
      name: `attachments/${bySm3['big.pdf']}`,
      bytes: c.scans['big.pdf']!.length,
      sm3: bySm3['big.pdf'],
      coding: 'sm4-gcm',
      stored: c.scans['big.pdf']!.length + 28,
      key: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
    // …and neither that key nor any plaintext is readable in the file on the stick.
    const onStick = readFileSync(path)
    expect(onStick.includes(Buffer.from(big!.key!, 'hex'))).toBe(false)
    for (const bytes of Object.values(c.scans)) expect(onStick.includes(bytes.subarray(100, 164))).toBe(false)
    expect(onStick.includes(Buffer.from('第二次进展'))).toBe(false)
    expect(manifest.entries.find((e) => e.name === `attachments/${bySm3['small.png']}`)).toEqual({
      name: `attachments/${bySm3['small.png']}`,
      bytes: c.scans['small.png']!.length,
      sm3: bySm3['small.png'],
    })
    // Table parts travel compressed.
    expect(manifest.entries.find((e) => e.name === 'tables/task_progress/000001.ndjson')).toMatchObject({ coding: 'gzip' })

    const progress = entries
      .get('tables/task_progress/000001.ndjson')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; attachments: Array<{ fileName: string; sm3: string }> })
    const cited = progress.find((p) => p.text === '第二次进展')!.attachments
    expect(cited.sort((a, b) => a.fileName.localeCompare(b.fileName))).toEqual(
      [
        { fileName: '旧扫描件.pdf', sm3: bySm3['legacy.pdf'] },
        { fileName: '盖章扫描件（重报）.pdf', sm3: bySm3['big.pdf'] },
      ].sort((a, b) => a.fileName.localeCompare(b.fileName)),
    )
    // The older scan's SM3 is now kept, sealed: the database alone does not reveal it.
    const legacyRow = await c.db('attachments').where({ digest: c.digests.legacy }).first('sm3_sealed')
    expect(legacyRow!.sm3_sealed).toMatch(/^f1:/)
    expect(JSON.stringify(await c.db('attachments').select())).not.toContain(bySm3['big.pdf'])
  })

  it('a scan of more pieces than are lent at once goes out whole: each piece given back once copied into the package', async () => {
    const c = await countyWithScans(7_500_000) // 8 pieces of a megabyte; 5 are lent at a time
    const { entries } = await openAsCity(c, await exported(c))
    const big = c.scans['big.pdf']!
    expect(entries.get(`attachments/${sm3Digest(big).toString('hex')}`)!.equals(big)).toBe(true)
  })

  it("open on the city's command line into files, byte for byte; a receipt answers without them", async () => {
    const c = await countyWithScans()
    const path = await exported(c)
    const work = tempDir()
    writeFileSync(join(work, 'city.key.pem'), c.city.privatePem)
    writeFileSync(join(work, 'county.pub.pem'), await trustCounty(c))
    const city = ['--key', join(work, 'city.key.pem'), '--sender', join(work, 'county.pub.pem')]
    const cli = (...args: string[]) => main(args, { log: () => undefined, error: () => undefined })
    const opened = join(work, 'opened')
    expect(await cli('package', 'open', path, ...city, '--out', opened)).toBe(0)
    for (const bytes of Object.values(c.scans))
      expect(readFileSync(join(opened, 'attachments', sm3Digest(bytes).toString('hex'))).equals(bytes)).toBe(true)
    expect(await cli('package', 'receipt', path, ...city, '--to', join(work, 'receipt.cdpkg'))).toBe(0)
  })

  it("stream to the reader's sinks a megabyte at a time, in order among the other entries; a skipped scan is not written", async () => {
    const c = await countyWithScans()
    const path = await exported(c)
    await trustCounty(c)
    const bySm3 = (name: string) => `attachments/${sm3Digest(c.scans[name]!).toString('hex')}`
    const order: string[] = []
    const written = new Map<string, Buffer[]>()
    const ended: string[] = []
    let manifest: Manifest | null = null
    const reader = payloadReader(
      (name, data) => {
        order.push(name)
        if (name === 'manifest.json') manifest = JSON.parse(data.toString()) as Manifest
      },
      {
        ctr: ctrInPool,
        scans: async (name, coding, size) => {
          order.push(name)
          expect(coding).toMatchObject({ coding: 'sm4-gcm', key: expect.stringMatching(/^[0-9a-f]{32}$/) })
          if (name === bySm3('legacy.pdf')) return null
          const pieces: Buffer[] = []
          written.set(name, pieces)
          expect(size).toBe(c.scans['big.pdf']!.length)
          return {
            write: async (plain) => void pieces.push(Buffer.from(plain)), // (lent: copied)
            end: async () => void ended.push(name),
            abort: async () => expect.unreachable('nothing failed'),
          }
        },
      },
    )
    await openPackage(path, c.cityKeys, (plain) => reader.write(plain))
    await reader.end()
    expect(order).toEqual([...manifest!.entries.map((e) => e.name), 'manifest.json'])
    const big = written.get(bySm3('big.pdf'))!
    expect(big.map((p) => p.length)).toEqual([1 << 20, 1 << 20, c.scans['big.pdf']!.length - 2 * (1 << 20)])
    expect(Buffer.concat(big).equals(c.scans['big.pdf']!)).toBe(true)
    expect([...written.keys()]).toEqual([bySm3('big.pdf')]) // the skipped scan: never written
    expect(ended).toEqual([bySm3('big.pdf')])
  })

  it('a sink that fails (a full disk) fails the open and is released; nothing is ended', async () => {
    const c = await countyWithScans()
    const path = await exported(c)
    await trustCounty(c)
    const aborted: string[] = []
    const ended: string[] = []
    const reader = payloadReader(() => undefined, {
      ctr: ctrInPool,
      scans: async (name) => ({
        write: async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        },
        end: async () => void ended.push(name),
        abort: async () => void aborted.push(name),
      }),
    })
    await expect(
      (async () => {
        await openPackage(path, c.cityKeys, (plain) => reader.write(plain))
        await reader.end()
      })(),
    ).rejects.toMatchObject({ code: 'ENOSPC' })
    expect(aborted).toHaveLength(1)
    expect(ended).toEqual([])
  })

  it.each([
    ['checked against the SM3 it was written with', false],
    ['checked by its GCM tag (no SM3 kept)', true],
  ])('a scan altered at rest stops the export (%s): a clear error, no package, no temporary file', async (_how, forgetSm3) => {
    const c = await countyWithScans()
    if (forgetSm3) await c.db('attachments').update({ file_sm3: null })
    else
      expect(await c.db('attachments').where({ digest: c.digests.big }).first('file_sm3')).toEqual({
        file_sm3: expect.stringMatching(/^[0-9a-f]{64}$/),
      })
    const sealedPath = attachmentPath(c.dataDir, c.digests.big)
    const sealed = readFileSync(sealedPath)
    sealed[1_500_000] = sealed[1_500_000]! ^ 1
    writeFileSync(sealedPath, sealed)
    const out = tempDir()
    await expect(
      exportPackage(c.ctx, { path: join(out, 'county-1.cdpkg'), full: true, userId: null, include: ['archives'], confirmPersonal: true }),
    ).rejects.toMatchObject({ code: ErrorCode.FieldDecryptFailed, details: { reason: 'scan', fileName: '盖章扫描件.pdf' } })
    expect(readdirSync(out)).toEqual([])
    expect(await c.db('exchange_packages').count({ n: '*' }).first()).toEqual({ n: 0 })
  })
})

describe('civil-servant archives in a data package', () => {
  it('carry people (ID number opened for the city), entries with their documents and grades; the next export only what changed', async () => {
    const c = await countyWithScans()
    const today = '2026-11-23'
    let unitId = (await c.db('org_units').first('id'))?.id
    if (!unitId)
      [unitId] = await c.db('org_units').insert({
        uid: randomUUID(),
        name: '示例县财政局',
        kind: 'county_dept',
        sort_order: 0,
        enabled: true,
        created_at: 0,
        updated_at: 0,
      })
    const personId = await createPerson(
      c.db,
      c.keys,
      {
        name: '张伟',
        idNumber: '11010519491231002X',
        unitId: unitId!,
        post: '科员',
        rank: '一级科员',
        politicalStatus: '中共党员',
        entryDate: '2008-07-01',
        status: 'serving',
        statusDate: null,
        userId: null,
      },
      null,
      10,
      today,
    )
    const { id: entryId } = await addEntry(
      c.db,
      {
        personId,
        kind: 'violation',
        year: 2026,
        result: 'warning',
        title: '违反工作纪律',
        docNumber: '纪〔2026〕3号',
        docDate: '2026-03-01',
        issuer: '县纪委监委',
        details: '受到警告处分',
        effectUntil: null,
      },
      null,
      20,
      today,
    )
    await c.db('entry_attachments').insert({ entry_id: entryId, digest: c.digests.big, file_name: '处分决定.pdf' }) // the same scan a progress report cites

    const out = tempDir()
    const open = (path: string) => openAsCity(c, path)
    await exportPackage(c.ctx, {
      path: join(out, 'county-1.cdpkg'),
      full: false,
      userId: null,
      include: ['archives'],
      confirmPersonal: true,
    })
    const first = await open(join(out, 'county-1.cdpkg'))
    expect(first.rows('people')).toEqual([
      expect.objectContaining({
        name: '张伟',
        idNumber: '11010519491231002X',
        unitName: expect.any(String),
        grade: 'basically_trustworthy',
      }),
    ])
    const bigSm3 = sm3Digest(c.scans['big.pdf']!).toString('hex')
    expect(first.rows('archive_entries')).toEqual([
      expect.objectContaining({
        kind: 'violation',
        result: 'warning',
        docNumber: '纪〔2026〕3号',
        attachments: [{ fileName: '处分决定.pdf', sm3: bigSm3 }],
      }),
    ])
    expect(first.rows('grade_history').map((g) => g.grade)).toContain('basically_trustworthy')
    expect([...first.entries.keys()].filter((n) => n === `attachments/${bigSm3}`)).toHaveLength(1) // cited twice, sent once

    // The city acknowledges package 1; a new entry follows: the next export carries it and the person it changed, nothing else.
    await c.db('exchange_packages').where({ direction: 'out', sequence: 1 }).update({ acknowledged_at: 30 })
    c.ctx.clock.set(Date.parse('2026-11-24T02:00:00Z'))
    await addEntry(
      c.db,
      {
        personId,
        kind: 'assessment',
        year: 2025,
        result: 'excellent',
        title: '2025年度考核',
        docNumber: null,
        docDate: '2026-01-20',
        issuer: '县委组织部',
        details: null,
        effectUntil: null,
      },
      null,
      c.ctx.clock.now(),
      '2026-11-24',
    )
    await c.db('people').where('id', personId).update({ updated_at: c.ctx.clock.now() })
    await exportPackage(c.ctx, {
      path: join(out, 'county-2.cdpkg'),
      full: false,
      userId: null,
      include: ['archives'],
      confirmPersonal: true,
    })
    const second = await open(join(out, 'county-2.cdpkg'))
    expect(second.rows('archive_entries')).toEqual([
      expect.objectContaining({ kind: 'assessment', year: 2025, result: 'excellent', attachments: [] }),
    ])
    expect(second.rows('people')).toHaveLength(1)
    expect(second.rows('records')).toEqual([])
    expect([...second.entries.keys()].some((n) => n.startsWith('attachments/'))).toBe(false)
  })
})
