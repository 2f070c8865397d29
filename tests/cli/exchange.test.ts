// County → city → receipt → county, and city → county task issuance, on the command line with real data folders,
// real key files and real package files; replays, gaps, a foreign recipient and tampering refused in both languages.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { completeSetup } from '../../electron/core/system/setup'
import { manualClock } from '../../electron/core/shared/clock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { PLAN } from '../fixtures/sample-plan'
import { writePackage } from '../../electron/core/exchange/envelope'
import { payloadStream } from '../../electron/core/exchange/payload'
import { suiteOf } from '../../electron/core/exchange/suites'
import { SETUP, tempDir } from '../helpers'
import { listPlanDrafts, planDraft, savePlan } from '../../electron/core/supervision/plan-store'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err, json: () => JSON.parse(out.at(-1)!) as Record<string, unknown> }
}

async function county(): Promise<string> {
  const dir = tempDir()
  const { db } = await openDatabase(dir)
  await completeSetup(db, manualClock(Date.parse('2026-11-23T02:00:00Z')), SETUP)
  await db.destroy()
  expect((await run('demo', 'seed', '--records', '300', '--data-dir', dir, '--json')).code).toBe(0)
  return dir
}

/** A county data folder that knows the city's key, the city's key files, and the county's public key file. */
async function countyAndCity() {
  const dataDir = await county()
  const keysDir = tempDir()
  const work = tempDir()
  await run('keys', 'generate', '--out', keysDir, '--name', 'city')
  await run('keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '市信用办', '--data-dir', dataDir)
  const countyPub = join(work, 'county.pub.pem')
  await run('keys', 'export-public', '--out', countyPub, '--data-dir', dataDir)
  return { dataDir, keysDir, work, countyPub }
}

describe('transfer packages on the command line', () => {
  it('round trip: export, the city verifies/opens/answers with a receipt, the county marks the records acknowledged', async () => {
    const dataDir = await county()
    const keysDir = tempDir()
    const work = tempDir()
    expect((await run('keys', 'generate', '--out', keysDir, '--name', 'city')).code).toBe(0)
    expect(readFileSync(join(keysDir, 'city.key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY')
    const countyPub = join(work, 'county.pub.pem')
    const exported = await run('keys', 'export-public', '--out', countyPub, '--data-dir', dataDir)
    expect(exported.out[0]).toMatch(/指纹 \/ fingerprint: ([0-9A-F]{4} ){7}[0-9A-F]{4}/)
    // Exporting before the city's key is known says what to do.
    expect((await run('package', 'export', '--to', join(work, 'x.cdpkg'), '--data-dir', dataDir)).err[0]).toContain('keys import-peer')
    const imported = await run('keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '市社会信用信息平台', '--data-dir', dataDir)
    expect(imported.out[0]).toContain('请与对方电话核对指纹')
    expect((await run('keys', 'import-peer', join(keysDir, 'city.key.pem'), '--name', 'x', '--data-dir', dataDir)).err[0]).toContain(
      '这是私钥文件',
    )

    const p1 = join(work, 'county-1.cdpkg')
    const first = await run('package', 'export', '--to', p1, '--data-dir', dataDir, '--confirm-personal')
    expect(first.code).toBe(0)
    expect(first.json()).toMatchObject({
      sequence: 1,
      counts: { records: 300, record_actions: 0, task_progress: 0 },
      recipient: '市社会信用信息平台',
    })
    const cityKey = join(keysDir, 'city.key.pem')
    const verified = await run('package', 'verify', p1, '--key', cityKey, '--sender', countyPub)
    expect(verified.code).toBe(0)
    expect(verified.out[0]).toContain('data #1')
    // OpenSSL alone agrees.
    execFileSync('bash', [join(__dirname, '../../scripts/openssl/open-package.sh'), p1, cityKey, countyPub, join(work, 'p1.tar')])
    expect(execFileSync('tar', ['-tf', join(work, 'p1.tar')]).toString()).toContain('tables/records/000001.ndjson')

    const opened = join(work, 'opened')
    expect((await run('package', 'open', p1, '--key', cityKey, '--sender', countyPub, '--out', opened)).code).toBe(0)
    const manifest = JSON.parse(readFileSync(join(opened, 'manifest.json'), 'utf8'))
    expect(manifest.counts.records).toBe(300)
    const rows = readFileSync(join(opened, 'tables/records/000001.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rows).toHaveLength(300)
    // A natural person's ID number, sealed at rest in the county, reaches the city in full inside the package.
    const person = rows.find(
      (r) =>
        r.subjectType === '自然人' ||
        /^\d{17}[\dX]$/.test(String(Object.values(r.data).find((v) => /^\d{17}[\dX]$/.test(String(v))) ?? '')),
    )
    expect(person).toBeDefined()
    expect(JSON.stringify(person.data)).toMatch(/\d{17}[\dX]/)

    // Not acknowledged yet: the next incremental export carries the same records again.
    const second = await run('package', 'export', '--to', join(work, 'county-2.cdpkg'), '--data-dir', dataDir, '--confirm-personal')
    expect(second.json()).toMatchObject({ sequence: 2, counts: { records: 300 } })
    const receipt = join(work, 'receipt-1.cdpkg')
    expect((await run('package', 'receipt', p1, '--key', cityKey, '--sender', countyPub, '--to', receipt)).code).toBe(0)
    const ack = await run('package', 'import', receipt, '--data-dir', dataDir)
    expect(ack.json()).toMatchObject({
      kind: 'receipt',
      alreadyImported: false,
      changes: { packagesAcknowledged: 1, recordsAcknowledged: 300 },
    })
    expect((await run('package', 'import', receipt, '--data-dir', dataDir)).json()).toMatchObject({ alreadyImported: true })
    expect((await run('demo', 'seed', '--records', '40', '--seed', '7', '--data-dir', dataDir, '--json')).code).toBe(0)
    const third = await run('package', 'export', '--to', join(work, 'county-3.cdpkg'), '--data-dir', dataDir, '--confirm-personal')
    expect(third.json()).toMatchObject({ sequence: 3, counts: { records: 40 } })
    const full = await run('package', 'export', '--full', '--to', join(work, 'county-4.cdpkg'), '--data-dir', dataDir, '--confirm-personal')
    expect(full.json()).toMatchObject({ sequence: 4, counts: { records: 340 } })

    // Tampered on the way: refused, in Chinese and English, with a non-zero exit.
    const bytes = readFileSync(p1)
    bytes[5000]! ^= 4
    writeFileSync(p1, bytes)
    const bad = await run('package', 'verify', p1, '--key', cityKey, '--sender', countyPub)
    expect(bad.code).toBe(1)
    expect(bad.err[0]).toContain('数据包第 1 块校验失败')
    expect(bad.err[0]).toContain('chunk 1 failed its check')

    const { db } = await openDatabase(dataDir)
    try {
      expect(await db('exchange_packages').where('direction', 'out').orderBy('sequence').pluck('acknowledged_at')).toEqual([
        expect.any(Number),
        null,
        null,
        null,
      ])
      expect(await db('records').whereNotNull('acknowledged_in').count({ n: '*' })).toEqual([{ n: 300 }])
      expect(
        await db('audit_log').whereIn('procedure', ['cli:package-export', 'cli:package-import', 'cli:keys-import-peer']).count({ n: '*' }),
      ).toEqual([{ n: 7 }])
      // The private key is sealed at rest.
      expect(JSON.stringify(await db('exchange_keys').select('*'))).not.toContain('PRIVATE KEY')
    } finally {
      await db.destroy()
    }
  })

  it('the city issues tasks from a plan: they land in supervision with their ids; a replay is refused, a gap warned about', async () => {
    const { dataDir, keysDir, work, countyPub } = await countyAndCity()
    writeFileSync(join(work, 'plan.txt'), PLAN)
    const parsed = await run('plan', 'parse', join(work, 'plan.txt'), '--json')
    writeFileSync(join(work, 'plan.json'), parsed.out.join('\n'))
    const issue = (sequence: number, to: string) =>
      run(
        'package',
        'tasks',
        join(work, 'plan.json'),
        '--key',
        join(keysDir, 'city.key.pem'),
        '--recipient',
        countyPub,
        '--sequence',
        String(sequence),
        '--to',
        to,
        '--org',
        '某市信用办',
      )
    // Sequence numbers are 31-bit: above that the county could not store it, so the command refuses it.
    for (const bad of [2 ** 31, 0]) {
      const refused = await issue(bad, join(work, 'tasks-big.cdpkg'))
      expect(refused.code).toBe(2)
      expect(refused.err.join('\n')).toContain('2147483647')
    }
    expect(existsSync(join(work, 'tasks-big.cdpkg'))).toBe(false)
    expect((await issue(1, join(work, 'tasks-1.cdpkg'))).code).toBe(0)
    const landed = await run('package', 'import', join(work, 'tasks-1.cdpkg'), '--data-dir', dataDir, '--create-units')
    expect(landed.json()).toMatchObject({ kind: 'tasks', sequence: 1, warnings: [], changes: { plansCreated: 1, tasksCreated: 6 } })
    const { db } = await openDatabase(dataDir)
    try {
      expect(await db('tasks').whereNotNull('external_id').orderBy('sort_order').pluck('external_id')).toContain('某信用〔2026〕3号#二.1')
      expect(await db('plans').pluck('external_id')).toEqual(['某信用〔2026〕3号'])
      const lead = await db('task_units as tu')
        .join('tasks as t', 't.id', 'tu.task_id')
        .join('org_units as u', 'u.id', 'tu.unit_id')
        .where({ 't.external_id': '某信用〔2026〕3号#二.1', 'tu.role': 'lead' })
        .first('u.name')
      expect(lead.name).toBe('县发展改革局')
    } finally {
      await db.destroy()
    }
    expect((await run('package', 'import', join(work, 'tasks-1.cdpkg'), '--data-dir', dataDir)).json()).toMatchObject({
      alreadyImported: true,
    })
    // The same sequence number on a different package: a replay.
    await issue(1, join(work, 'tasks-1b.cdpkg'))
    const replay = await run('package', 'import', join(work, 'tasks-1b.cdpkg'), '--data-dir', dataDir)
    expect(replay.code).toBe(1)
    expect(replay.err[0]).toContain('疑似重放')
    await issue(4, join(work, 'tasks-4.cdpkg'))
    expect((await run('package', 'import', join(work, 'tasks-4.cdpkg'), '--data-dir', dataDir)).json()).toMatchObject({
      sequence: 4,
      warnings: [{ reason: 'gap', missing: 2 }],
      changes: { tasksLinked: 6 },
    })
    // A lower number never used (3, skipped above) arriving late is out of order: refused, not slipped in.
    await issue(3, join(work, 'tasks-3.cdpkg'))
    const late = await run('package', 'import', join(work, 'tasks-3.cdpkg'), '--data-dir', dataDir)
    expect(late.code).toBe(1)
    expect(late.err[0]).toContain('序号 3 的数据包已导入过（已收到的最新序号为 4）')
    // The county rotates its key: a package the city made for the old key still opens; new ones need the new key.
    await issue(5, join(work, 'tasks-5.cdpkg'))
    const rotated = await run('keys', 'rotate', '--data-dir', dataDir)
    expect(rotated.out[0]).toContain('新指纹')
    expect((await run('package', 'import', join(work, 'tasks-5.cdpkg'), '--data-dir', dataDir)).json()).toMatchObject({
      sequence: 5,
      alreadyImported: false,
    })
    const newPub = join(work, 'county-new.pub.pem')
    await run('keys', 'export-public', '--out', newPub, '--data-dir', dataDir)
    expect(readFileSync(newPub, 'utf8')).not.toBe(readFileSync(countyPub, 'utf8'))
    // Not for this county: a package made for another key.
    const other = tempDir()
    await run('keys', 'generate', '--out', other, '--name', 'elsewhere')
    await run(
      'package',
      'tasks',
      join(work, 'plan.json'),
      '--key',
      join(keysDir, 'city.key.pem'),
      '--recipient',
      join(other, 'elsewhere.pub.pem'),
      '--sequence',
      '9',
      '--to',
      join(work, 'foreign.cdpkg'),
    )
    expect((await run('package', 'import', join(work, 'foreign.cdpkg'), '--data-dir', dataDir)).err[0]).toContain('不是发给本单位的')
    expect(readdirSync(work).filter((f) => f.includes('.partial'))).toEqual([])
    expect(existsSync(join(work, 'tasks-4.cdpkg'))).toBe(true)
  })

  it('an issued plan naming units the county lacks waits for review, keeping the city ids; --create-units takes it as it comes', async () => {
    const issueTo = async (c: Awaited<ReturnType<typeof countyAndCity>>, sequence: number) => {
      writeFileSync(join(c.work, 'plan.txt'), PLAN)
      writeFileSync(join(c.work, 'plan.json'), (await run('plan', 'parse', join(c.work, 'plan.txt'), '--json')).out.join('\n'))
      const file = join(c.work, `tasks-${sequence}.cdpkg`)
      const args = ['--key', join(c.keysDir, 'city.key.pem'), '--recipient', c.countyPub, '--sequence', String(sequence), '--to', file]
      expect((await run('package', 'tasks', join(c.work, 'plan.json'), ...args)).code).toBe(0)
      return file
    }
    const held = await countyAndCity()
    const imported = await run('package', 'import', await issueTo(held, 1), '--data-dir', held.dataDir)
    expect(imported.json()).toMatchObject({ changes: { plansToReview: 1, plansCreated: 0, tasksCreated: 0, unitsCreated: 0 } })
    const { db } = await openDatabase(held.dataDir)
    try {
      expect(await db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 })
      const [draft] = await listPlanDrafts(db)
      expect(draft).toMatchObject({
        docNumber: '某信用〔2026〕3号',
        sender: '市信用办',
        tasks: 6,
      })
      // The review: every unknown name created; the plan keeps the city's ids and the draft is gone.
      const opened = await planDraft(db, draft!.id)
      const saved = await savePlan(
        db,
        manualClock(),
        {
          title: opened.title,
          issuer: opened.issuer,
          docNumber: opened.docNumber,
          year: opened.year,
          sourceFile: null,
          tasks: opened.tasks,
          draftId: draft!.id,
          resolutions: opened.matches.map((m) => ({ name: m.name, unitId: m.unitId, create: !m.unitId })),
        },
        null,
      )
      expect(saved.tasks).toBe(6)
      expect(await db('plans').pluck('external_id')).toEqual(['某信用〔2026〕3号'])
      expect(await db('tasks').where('path', '二/1').first('external_id')).toEqual({ external_id: '某信用〔2026〕3号#二.1' })
      expect(await listPlanDrafts(db)).toEqual([])
    } finally {
      await db.destroy()
      unlockDataDir(held.dataDir)
    }
    // Re-issued, it now links to the reviewed plan.
    expect((await run('package', 'import', await issueTo(held, 2), '--data-dir', held.dataDir)).json()).toMatchObject({
      changes: { tasksLinked: 6, plansToReview: 0 },
    })
    const taken = await countyAndCity()
    const direct = await run('package', 'import', await issueTo(taken, 1), '--data-dir', taken.dataDir, '--create-units')
    expect(direct.json()).toMatchObject({ changes: { plansToReview: 0, plansCreated: 1, tasksCreated: 6 } })
    expect((direct.json().changes as { unitsCreated: number }).unitsCreated).toBeGreaterThan(0)
  })

  it('catalog updates from the city become versions awaiting review; unchanged items and repeats change nothing', async () => {
    const { dataDir, keysDir, work, countyPub } = await countyAndCity()
    // The county's own catalog goes to the city in its data package; the city edits one item and adds another.
    const sent = join(work, 'county-1.cdpkg')
    expect((await run('package', 'export', '--to', sent, '--data-dir', dataDir, '--confirm-personal')).json()).toMatchObject({
      counts: { catalog_items: 3 },
    })
    const opened = join(work, 'opened')
    await run('package', 'open', sent, '--key', join(keysDir, 'city.key.pem'), '--sender', countyPub, '--out', opened)
    const items = readFileSync(join(opened, 'tables/catalog_items/000001.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const penalty = items.find((i) => i.code === 'SGS_CF')
    const license = items.find((i) => i.code === 'SGS_XK')
    const changed = { ...penalty, legalBasis: '《中华人民共和国行政处罚法》（2021 年修订）' }
    const added = { ...license, code: 'SGS_XK_ZX', name: '行政许可注销信息' }
    writeFileSync(join(work, 'items.json'), JSON.stringify([changed, license, added, { code: 'BAD' }]))
    const pkg = join(work, 'catalog-1.cdpkg')
    expect(
      (
        await run(
          'package',
          'catalog',
          join(work, 'items.json'),
          '--key',
          join(keysDir, 'city.key.pem'),
          '--recipient',
          countyPub,
          '--sequence',
          '1',
          '--to',
          pkg,
        )
      ).code,
    ).toBe(0)
    const landed = await run('package', 'import', pkg, '--data-dir', dataDir)
    expect(landed.json()).toMatchObject({
      kind: 'catalog',
      changes: { catalogVersions: 1, catalogCreated: 1, catalogUnchanged: 1, catalogInvalid: 1, catalogConflicts: 0 },
    })
    expect((await run('package', 'import', pkg, '--data-dir', dataDir)).json()).toMatchObject({ alreadyImported: true })
    const { db } = await openDatabase(dataDir)
    try {
      expect(await db('catalog_items').where('status', 'submitted').orderBy('code').select('code', 'version')).toEqual([
        { code: 'SGS_CF', version: 2 },
        { code: 'SGS_XK_ZX', version: 1 },
      ])
      expect(await db('catalog_items').where({ code: 'SGS_CF', status: 'approved' }).pluck('version')).toEqual([1]) // in force until a supervisor approves
    } finally {
      await db.destroy()
    }
  })

  it('a city on the standard suite (X25519 / Ed25519 / AES-256-GCM): the county answers in kind', async () => {
    const dataDir = await county()
    const keysDir = tempDir()
    const work = tempDir()
    expect((await run('keys', 'generate', '--out', keysDir, '--name', 'city', '--suite', 'standard')).code).toBe(0)
    expect(readFileSync(join(keysDir, 'city.pub.pem'), 'utf8').match(/BEGIN PUBLIC KEY/g)).toHaveLength(2)
    expect((await run('keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '某市平台', '--data-dir', dataDir)).out[0]).toContain(
      'X25519-Ed25519-AES256GCM',
    )
    const countyPub = join(work, 'county.pub.pem')
    // Without --suite the exported key follows the city's suite; --suite sm still gives the SM2 key.
    await run('keys', 'export-public', '--out', countyPub, '--data-dir', dataDir)
    expect(readFileSync(countyPub, 'utf8').match(/BEGIN PUBLIC KEY/g)).toHaveLength(2)
    await run('keys', 'export-public', '--suite', 'sm', '--out', join(work, 'county-sm.pub.pem'), '--data-dir', dataDir)
    expect(readFileSync(join(work, 'county-sm.pub.pem'), 'utf8').match(/BEGIN PUBLIC KEY/g)).toHaveLength(1)
    const p = join(work, 'std.cdpkg')
    expect((await run('package', 'export', '--to', p, '--data-dir', dataDir, '--confirm-personal')).json()).toMatchObject({
      sequence: 1,
      counts: { records: 300 },
    })
    const verified = await run('package', 'verify', p, '--key', join(keysDir, 'city.key.pem'), '--sender', countyPub)
    expect(verified.code).toBe(0)
    expect(
      JSON.parse(
        readFileSync(p)
          .subarray(16, 16 + readFileSync(p).readUInt32BE(12))
          .toString(),
      ).suite,
    ).toBe('X25519-Ed25519-AES256GCM')
  })

  it('the city opens a package into a temporary folder: an unsafe entry name stops it and leaves nothing; plain errors in Chinese', async () => {
    const keysDir = tempDir()
    const work = tempDir()
    await run('keys', 'generate', '--out', keysDir, '--name', 'city')
    await run('keys', 'generate', '--out', keysDir, '--name', 'county')
    const SM = suiteOf('SM2-SM3-SM4')!
    const evil = join(work, 'evil.cdpkg')
    await writePackage({
      path: evil,
      suite: SM,
      kind: 'data',
      sequence: 1,
      createdAt: '2026-12-01T02:00:00Z',
      sender: { orgName: '某县', regionCode: '350102', uscc: '' },
      senderPrivatePem: readFileSync(join(keysDir, 'county.key.pem'), 'utf8'),
      recipientPublicPem: readFileSync(join(keysDir, 'city.pub.pem'), 'utf8'),
      payload: payloadStream(
        (async function* () {
          yield { name: 'tables/records/000001.ndjson', data: Buffer.from('{}\n') }
          yield { name: '../../escaped.txt', data: Buffer.from('outside') }
        })(),
        { kind: 'data', counts: { records: 1 }, attachments: 0 },
      ),
    })
    const out = join(work, 'opened')
    const r = await run(
      'package',
      'open',
      evil,
      '--key',
      join(keysDir, 'city.key.pem'),
      '--sender',
      join(keysDir, 'county.pub.pem'),
      '--out',
      out,
    )
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toContain('文件名“../../escaped.txt”不安全')
    expect(readdirSync(work).sort()).toEqual(['evil.cdpkg']) // no output folder, no half-opened temporary one
    expect(existsSync(join(work, '..', 'escaped.txt'))).toBe(false)

    const missing = await run(
      'package',
      'verify',
      join(work, 'nothing.cdpkg'),
      '--key',
      join(keysDir, 'city.key.pem'),
      '--sender',
      join(keysDir, 'county.pub.pem'),
    )
    expect(missing.code).toBe(1)
    expect(missing.err.join('\n')).toContain('找不到文件或目录')
    const folder = await run('package', 'verify', work, '--key', join(keysDir, 'city.key.pem'), '--sender', join(keysDir, 'county.pub.pem'))
    expect(folder.err.join('\n')).toContain('这是一个目录')
  })
})
