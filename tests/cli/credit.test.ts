// 信用应用 on the command line, with the same core as the app: a list template and a list import (all-or-nothing, dry
// run, valid rows only), the city's list package made and received, checks of bare codes and of a workbook as JSON
// lines, and a credit report written as a PDF with its Chinese text readable — each audited under the OS account.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { openDatabase } from '../../electron/core/shared/open-database'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { pdfText } from '../../electron/core/supervision/pdf-text'
import { tempDir, validIdNumber, validUscc } from '../helpers'
import { countyWithCity } from './county-fixture'

async function run(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: (l) => err.push(l) })
  return { code, out, err }
}

async function workbook(path: string, rows: unknown[][]) {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('Sheet1')
  for (const r of rows) ws.addRow(r)
  await wb.xlsx.writeFile(path)
  return path
}

async function query<T>(dataDir: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const { db } = await openDatabase(dataDir)
  try {
    return await fn(db)
  } finally {
    await db.destroy()
    unlockDataDir(dataDir)
  }
}

describe('credit-desk lists, check and report', () => {
  it('lists: template, dry run, all-or-nothing, valid rows only; the city list package in; checks and a report out', async () => {
    const { dataDir, keysDir } = await countyWithCity({ records: 50, people: 0 })
    const work = tempDir()

    expect((await run('lists', 'template', '--out', join(work, 't.xlsx'), '--data-dir', dataDir)).code).toBe(0)
    expect(existsSync(join(work, 't.xlsx'))).toBe(true)

    const bad = validUscc(2).slice(0, 17) + (validUscc(2).endsWith('1') ? '2' : '1')
    const file = await workbook(join(work, 'lists.xlsx'), [
      ['主体名称', '统一社会信用代码或证件号码', '名单类型', '认定单位', '认定依据', '列入日期', '有效期至'],
      ['甲公司', validUscc(1), '黑名单', '市监局', '市监信〔2026〕1号', '2026-05-01', ''],
      ['乙公司', bad, '黑名单', '市监局', '市监信〔2026〕2号', '2026-05-01', ''],
    ])
    const dry = await run('lists', 'import', file, '--dry-run', '--json', '--data-dir', dataDir)
    expect(dry.code).toBe(1)
    expect(dry.out.map((l) => JSON.parse(l))).toEqual([
      { row: 3, column: '统一社会信用代码或证件号码', reason: '统一社会信用代码校验位不正确' },
    ])
    const all = await run('lists', 'import', file, '--data-dir', dataDir)
    expect(all.code).toBe(1)
    expect(all.err.at(-1)).toContain('未导入任何名单')
    expect(await query(dataDir, (db) => db('credit_list_entries').count({ n: '*' }))).toEqual([{ n: 0 }])
    const some = await run('lists', 'import', file, '--valid-only', '--data-dir', dataDir)
    expect(some.code).toBe(0)
    expect(some.err.at(-1)).toBe('已导入 1 条，合并更新 0 条，1 行有错误未导入')
    const missing = await run('lists', 'import', join(work, 'nope.xlsx'), '--data-dir', dataDir)
    expect(missing.code).toBe(1)

    // The city side makes a full list package; the county imports it.
    writeFileSync(
      join(work, 'lists.json'),
      JSON.stringify([
        {
          externalId: 'C-1',
          subjectName: '丙公司',
          subjectCode: validUscc(3),
          kind: 'black',
          decidedBy: '市发改委',
          basis: '发改〔2026〕1号',
          listedOn: '2026-03-01',
        },
        {
          externalId: 'C-2',
          subjectName: '丁某',
          subjectCode: validIdNumber(4),
          kind: 'watch',
          decidedBy: '市人社局',
          basis: '人社〔2026〕2号',
          listedOn: '2026-03-01',
        },
      ]),
    )
    const pkg = join(work, 'lists-1.cdpkg')
    const made = await run(
      'package',
      'lists',
      join(work, 'lists.json'),
      '--key',
      join(keysDir, 'city.key.pem'),
      '--recipient',
      join(keysDir, 'county.pub.pem'),
      '--sequence',
      '1',
      '--full',
      '--to',
      pkg,
    )
    expect(made.out[0]).toBe(`已生成名单下发包 ${pkg}：2 条名单（全量），序号 1`)
    const landed = await run('package', 'import', pkg, '--data-dir', dataDir)
    expect(landed.code).toBe(0)
    expect(await query(dataDir, (db) => db('credit_list_entries').where('source', 'city').count({ n: '*' }))).toEqual([{ n: 2 }])

    // Bare codes: one JSON line each, verdict and hits; a bad code is a line too.
    const checked = await run(
      'check',
      'subjects',
      validUscc(3),
      validIdNumber(4),
      validUscc(5),
      bad,
      '--purpose',
      '评先评优',
      '--json',
      '--data-dir',
      dataDir,
    )
    expect(checked.code).toBe(0)
    const lines = checked.out.map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.subject, l.name, l.verdict])).toEqual([
      [validUscc(3), '丙公司', 'punish'],
      [`${validIdNumber(4).slice(0, 6)}********${validIdNumber(4).slice(-4)}`, '丁某', 'watch'],
      [validUscc(5), validUscc(5), 'clean'],
      [bad, bad, 'invalid'],
    ])
    expect(lines[0].hits).toEqual([expect.objectContaining({ source: 'list', kind: '黑名单', basis: '发改〔2026〕1号', active: true })])
    expect(checked.out.join('\n')).not.toContain(validIdNumber(4))
    expect(checked.err.at(-1)).toMatch(/^信核〔\d{4}〕1号：核查 4 个主体，2 个有记录$/)
    const byFile = await run(
      'check',
      'subjects',
      '--file',
      await workbook(join(work, 's.xlsx'), [
        ['企业名称', '统一社会信用代码'],
        ['甲公司', validUscc(1)],
      ]),
      '--purpose',
      '采购',
      '--data-dir',
      dataDir,
    )
    expect(byFile.out).toEqual([`${validUscc(1)}\t甲公司\t失信惩戒对象\t名单·黑名单·有效：市监信〔2026〕1号`])
    expect((await run('check', 'subjects', validUscc(1), '--data-dir', dataDir)).code).toBe(2) // no --purpose

    // The report as a PDF, read back; a person's report needs the authorisation.
    const pdf = join(work, 'report.pdf')
    const report = await run('report', 'subject', validUscc(3), '--purpose', '招标投标', '--out', pdf, '--data-dir', dataDir)
    expect(report.code).toBe(0)
    expect(report.out[0]).toMatch(/^已出具 信报〔\d{4}〕1号（丙公司），保存到 /)
    const text = (await pdfText(readFileSync(pdf))).replace(/\s+/g, '')
    expect(text).toContain('信用报告')
    expect(text).toContain('丙公司')
    expect(text).toContain('四、严重失信主体名单信息')
    expect(text).toContain('发改〔2026〕1号')
    expect(text).toContain('本报告仅供“招标投标”使用')
    expect(text).toMatch(/第1页共\d+页/)
    const person = await run(
      'report',
      'subject',
      validIdNumber(4),
      '--purpose',
      '招聘',
      '--out',
      join(work, 'p.pdf'),
      '--data-dir',
      dataDir,
    )
    expect(person.code).toBe(1)
    expect(person.err[0]).toBe('自然人的信用报告须填写本人授权书编号（查询授权）')
    expect(existsSync(join(work, 'p.pdf'))).toBe(false)

    const audit = await query(dataDir, (db) =>
      db('audit_log')
        .where('via', 'cli')
        .whereIn('procedure', ['cli:lists-import', 'cli:check-subjects', 'cli:report-subject'])
        .orderBy('id')
        .pluck('procedure'),
    )
    expect(audit).toEqual(['cli:lists-import', 'cli:check-subjects', 'cli:check-subjects', 'cli:report-subject'])
  })
})
