// A transaction never waits for a person: while a file dialog of an audited procedure is open, another window's call
// still reaches the database at once. (There is one pooled connection: a dialog inside the transaction held it, and a
// 1.5 s dialog once blocked another window's auth:me for 1.56 s.)
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { manualClock } from '../../electron/core/shared/clock'
import { createBackend } from '../../electron/main/compose'
import { suiteOf } from '../../electron/core/exchange/suites'
import type { Sender } from '../../electron/main/ipc/context'
import { trustOrigin } from '../../electron/main/ipc/router'
import { memoryLogger } from '../../electron/main/logger'
import { ORIGIN, SETUP, expectOk, tempDir, userSession } from '../helpers'

const window = (id: string): Sender => ({ id, url: `${ORIGIN}/index.html#/`, isMainFrame: true })

describe('dialogs outside transactions', () => {
  it(
    'while a dialog is open in any audited procedure that asks for a file, another window is served; the result is the same',
    { timeout: 60_000 },
    async () => {
      const dataDir = tempDir()
      const files = tempDir()
      let answer: string | null = null
      let otherWindow: (() => Promise<unknown>) | null = null
      const served: string[] = []
      const dialog = async (title: string) => {
        // The other window asks who is logged in while this dialog is open; it must not wait for the dialog.
        const reply = await Promise.race([otherWindow!().then(() => 'served'), new Promise((r) => setTimeout(() => r('blocked'), 3000))])
        served.push(`${title}: ${reply}`)
        return answer
      }
      const backend = await createBackend({
        dataDir,
        clock: manualClock(),
        logger: memoryLogger(),
        isTrustedSender: trustOrigin(ORIGIN),
        platform: {
          chooseSavePath: async (r) => dialog(r.title),
          chooseOpenPath: async (r) => dialog(r.title),
          printToPdf: async (_s, path) => writeFileSync(path, '%PDF-1.7'),
        },
      })
      try {
        const call =
          (sender: Sender) =>
          (name: string, input: unknown = {}) =>
            backend.dispatch(sender, name, input)
        const admin = call(window('1'))
        expectOk(await admin('setup:complete', SETUP))
        expectOk(await admin('auth:login', { username: 'admin', password: SETUP.adminPassword }))
        const clerk = await userSession(backend, admin, 'clerk1', ['clerk'])
        const auditor = await userSession(backend, admin, 'audit1', ['auditor'])
        otherWindow = () => admin('auth:me')

        const roster = join(files, 'roster.xlsx')
        const wb = new ExcelJS.Workbook()
        wb.addWorksheet('人员').addRow(['姓名', '身份证号', '单位', '参加工作日期'])
        await wb.xlsx.writeFile(roster)
        writeFileSync(join(files, 'city.pub.pem'), suiteOf('SM2-SM3-SM4')!.generate().publicPem)
        const cases: Array<[string, (name: string, input?: unknown) => Promise<unknown>, string, unknown, string | null]> = [
          ['audit:export', auditor, 'audit:export', { kind: 'operations', filter: {} }, join(files, 'log.xlsx')],
          ['records:export', clerk, 'records:export', {}, join(files, 'records.xlsx')],
          ['people:import', clerk, 'people:import', {}, roster],
          ['exchange:import-peer', admin, 'exchange:import-peer', { name: '市平台' }, join(files, 'city.pub.pem')],
          ['exchange:export-public', admin, 'exchange:export-public', {}, join(files, 'county.pub.pem')],
          ['supervision:export-circular', clerk, 'supervision:export-circular', {}, join(files, 'circular.xlsx')],
          ['cancelled dialog', auditor, 'audit:export', { kind: 'logins', filter: {} }, null],
        ]
        for (const [label, caller, name, input, path] of cases) {
          answer = path
          served.length = 0
          const r = (await caller(name, input)) as { ok: boolean }
          expect(served, `${label}: ${JSON.stringify(r)}`).toEqual([expect.stringMatching(/: served$/)])
          expect(r.ok, `${label}: ${JSON.stringify(r)}`).toBe(true)
        }
        // The audit rows are written once per call, with what the call did.
        const rows = await backend
          .db('audit_log')
          .whereIn('procedure', ['audit:export', 'exchange:export-public'])
          .orderBy('id')
          .select('procedure', 'result', 'affected_ids')
        expect(rows.map((r) => `${r.procedure} ${r.result} ${r.affected_ids}`)).toEqual([
          'audit:export ok ["export:operations"]',
          'exchange:export-public ok ' + rows[1]!.affected_ids,
          'audit:export ok []',
        ])
      } finally {
        await backend.close()
      }
    },
  )
})
