// 调动 between installations on the command line: county A sends a civil servant's whole archive (entries, a sealed
// scan, the grade history) to county B's key and marks the person 调离; B imports it under one of its units. Refusals:
// a unit B does not have, a person B already keeps, a second transfer of the same person, a package for someone else.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { NewPerson } from '../../electron/contract/schemas/archives'
import { readAttachment, storeAttachment } from '../../electron/core/attachments/attachment-store'
import { addEntry } from '../../electron/core/archives/entries'
import { createPerson } from '../../electron/core/archives/people'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { manualClock } from '../../electron/core/shared/clock'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { completeSetup } from '../../electron/core/system/setup'
import { createUnit } from '../../electron/core/system/units'
import { SETUP, tempDir, validIdNumber } from '../helpers'

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err }
}

const clock = manualClock(Date.parse('2026-11-23T02:00:00Z'))
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n')

/** An office with one unit; in county A, 张伟 with two entries, one with a scanned 嘉奖令. */
async function county(orgName: string, unit: string, withPerson: boolean) {
  const dir = tempDir()
  const { db } = await openDatabase(dir)
  try {
    await completeSetup(db, clock, { ...SETUP, orgName })
    const unitId = await createUnit(db, clock, {
      parentId: null,
      name: unit,
      kind: 'county_dept',
      creditCode: null,
      regionCode: null,
      sortOrder: 10,
    })
    if (withPerson) {
      const keys = await loadFieldKeys(db, dir, noProtector)
      const input = NewPerson.parse({
        name: '张伟',
        idNumber: validIdNumber(9),
        unitId,
        post: '科员',
        rank: '一级科员',
        politicalStatus: '中共党员',
        entryDate: '2008-07-01',
      })
      const personId = await createPerson(db, keys, input, null, clock.now(), '2026-11-23')
      const award = await addEntry(
        db,
        { personId, kind: 'award', title: '优秀公务员', docDate: '2025-12-30', issuer: '县人民政府' } as never,
        null,
        clock.now(),
        '2026-11-23',
      )
      await addEntry(
        db,
        {
          personId,
          kind: 'assessment',
          year: 2025,
          result: 'excellent',
          title: '2025年度考核',
          docDate: '2026-01-20',
          issuer: '县委组织部',
        } as never,
        null,
        clock.now(),
        '2026-11-23',
      )
      const scan = join(dir, '嘉奖令.pdf')
      writeFileSync(scan, PDF)
      const stored = await storeAttachment(db, keys, dir, scan, clock.now())
      await db('entry_attachments').insert({ entry_id: award.id, digest: stored.digest, file_name: '嘉奖令.pdf' })
    }
  } finally {
    await db.destroy()
    unlockDataDir(dir)
  }
  const pub = join(tempDir(), 'pub.pem')
  expect((await run('keys', 'export-public', '--out', pub, '--data-dir', dir)).code).toBe(0)
  return { dir, pub }
}

describe('archive 调动 between installations', () => {
  it('A sends, B opens it as a new archive with its history and scan; A shows the person 调离', async () => {
    const a = await county('甲县信用办', '甲县审计局', true)
    const b = await county('乙县信用办', '乙县财政局', false)
    expect((await run('keys', 'import-peer', a.pub, '--name', '甲县信用办', '--data-dir', b.dir)).code).toBe(0)
    const pkg = join(tempDir(), '调动-张伟.cdpkg')
    const send = (unit: string, to = pkg) =>
      run(
        'archives',
        'transfer-out',
        '--id-number',
        validIdNumber(9),
        '--recipient',
        b.pub,
        '--destination',
        '乙县信用办',
        '--unit',
        unit,
        '--to',
        to,
        '--data-dir',
        a.dir,
      )

    // To a unit B does not have: B refuses, nothing imported.
    const wrongPkg = join(tempDir(), 'wrong.cdpkg')
    expect((await send('乙县不存在局', wrongPkg)).code).toBe(0)
    const refused = await run('package', 'import', wrongPkg, '--data-dir', b.dir)
    expect(refused.code).toBe(1)
    expect(refused.err[0]).toContain('接收单位“乙县不存在局”在本机的单位列表中不存在')
    // A already marked the person 调离 on that first package: a second transfer is refused there.
    expect((await send('乙县财政局')).code).toBe(1)
    {
      const { db } = await openDatabase(a.dir)
      await db('people').update({ status: 'serving', status_date: null, transferred_to: null }) // the office undoes its mistake
      await db.destroy()
      unlockDataDir(a.dir)
    }
    const sent = await send('乙县财政局')
    expect(sent.code).toBe(0)
    expect(sent.out[0]).toContain('已生成“张伟”的调动档案包')
    expect(sent.out[0]).toContain('2 条档案记录')

    const imported = await run('package', 'import', pkg, '--data-dir', b.dir, '--json')
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.out.at(-1)!)).toMatchObject({
      kind: 'archive',
      changes: { archivesReceived: 1, entriesReceived: 2, scansReceived: 1 },
    })

    const { db: dbB } = await openDatabase(b.dir)
    try {
      const keysB = await loadFieldKeys(dbB, b.dir, noProtector)
      const person = (await dbB('people as p').join('org_units as u', 'u.id', 'p.unit_id').first('p.*', 'u.name as unit_name'))!
      expect(person).toMatchObject({ name: '张伟', unit_name: '乙县财政局', status: 'serving', id_masked: expect.stringContaining('****') })
      expect(await dbB('archive_entries').where('person_id', person.id).orderBy('doc_date').pluck('title')).toEqual([
        '优秀公务员',
        '2025年度考核',
      ])
      expect(await dbB('grade_history').where('person_id', person.id).count({ n: '*' })).toEqual([{ n: 1 }])
      const scan = (await dbB('entry_attachments').first('digest', 'file_name'))!
      expect(scan.file_name).toBe('嘉奖令.pdf')
      expect(readAttachment(keysB, b.dir, scan.digest).equals(PDF)).toBe(true) // sealed again under B's own keys
      // The ID number never lies in clear in B's database.
      await dbB.raw('PRAGMA wal_checkpoint(TRUNCATE)')
      expect(readFileSync(join(b.dir, 'credit-desk.sqlite')).includes(Buffer.from(validIdNumber(9)))).toBe(false)
    } finally {
      await dbB.destroy()
      unlockDataDir(b.dir)
    }
    const { db: dbA } = await openDatabase(a.dir)
    expect(await dbA('people').first('status', 'transferred_to')).toEqual({ status: 'transferred', transferred_to: '乙县信用办' })
    expect(await dbA('audit_log').where('procedure', 'cli:archives-transfer-out').count({ n: '*' })).toEqual([{ n: 2 }])
    await dbA.destroy()
    unlockDataDir(a.dir)

    // The same person again (a replayed or second package) is refused: B keeps one archive per person.
    const again = join(tempDir(), 'again.cdpkg')
    {
      const { db } = await openDatabase(a.dir)
      await db('people').update({ status: 'serving' })
      await db.destroy()
      unlockDataDir(a.dir)
    }
    expect((await send('乙县财政局', again)).code).toBe(0)
    const twice = await run('package', 'import', again, '--data-dir', b.dir)
    expect(twice.code).toBe(1)
    expect(twice.err[0]).toContain('本机已有“张伟”的诚信档案')
  })

  it('a transfer addressed to another county cannot be opened here', async () => {
    const a = await county('甲县信用办', '甲县审计局', true)
    const b = await county('乙县信用办', '乙县财政局', false)
    const c = await county('丙县信用办', '乙县财政局', false)
    await run('keys', 'import-peer', a.pub, '--name', '甲县信用办', '--data-dir', c.dir)
    const pkg = join(tempDir(), 'to-b.cdpkg')
    expect(
      (
        await run(
          'archives',
          'transfer-out',
          '--id-number',
          validIdNumber(9),
          '--recipient',
          b.pub,
          '--destination',
          '乙县信用办',
          '--unit',
          '乙县财政局',
          '--to',
          pkg,
          '--data-dir',
          a.dir,
        )
      ).code,
    ).toBe(0)
    const r = await run('package', 'import', pkg, '--data-dir', c.dir)
    expect(r.code).toBe(1)
    expect(r.err[0]).toContain('这个数据包不是发给本单位的')
  })
})
