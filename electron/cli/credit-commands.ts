// lists template / lists import, check subjects, report subject: the same core as the app's 信用应用 pages. Work done
// here is audited under the operating-system account (there is no app login on the command line).
import { writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fieldMessage, importRejectionText } from '../contract/messages.zh-CN'
import { HIT_SOURCE_LABELS, VERDICT_LABELS } from '../contract/labels.zh-CN'
import { beijingDate } from '../core/catalog/record-context'
import { buildRecordTemplate } from '../core/catalog/record-template'
import { appendAudit } from '../core/audit/audit-log'
import { loadFieldKeys, noProtector } from '../core/security/key-store'
import { AppError } from '../core/shared/app-error'
import { loadDictEntries, loadCheckDicts } from '../core/system/dictionaries'
import { LIST_FIELDS, importListWorkbook } from '../core/credit/lists'
import { getCheck, readSubjectFile, runCheck, type RawSubject } from '../core/credit/credit-checks'
import { createReport, getReport } from '../core/credit/credit-report'
import { writeReportPdf } from '../core/credit/report-pdf'
import { osActor, withDatabase, type Out } from './cli-context'

export const CREDIT_USAGE = `  lists template --out FILE.xlsx               生成名单导入模板（主体名称、代码、名单类型、认定单位、认定依据、列入日期、有效期至、备注）
  lists import FILE.xlsx [--dry-run] [--valid-only] [--json]
                                                导入名单：默认有任何错误行则全部不导入；同一主体、类型、认定依据的合并更新
  check subjects CODE... | --file FILE.xlsx --purpose TEXT [--json]
                                                信用核查（登记在核查登记中）；--json 每个主体一行
                                                {"subject","verdict","hits":[{"source","kind","basis",…}]}
  report subject CODE --purpose TEXT [--authorisation REF] [--from DATE] [--to DATE] --out FILE.pdf
                                                出具信用报告（自然人须 --authorisation 授权书编号）`

interface Values {
  out?: string
  json?: boolean
  'dry-run'?: boolean
  'valid-only'?: boolean
  file?: string
  purpose?: string
  authorisation?: string
  from?: string
  to?: string
  font?: string
}

const VERDICT_KEYS: Record<string, string> = { punish: 'punish', watch: 'watch', reward: 'reward', clean: 'clean', invalid: 'invalid' }

/** Runs a lists / check / report command; null when it is not one of them. */
export async function runCredit(
  command: string,
  sub: string | undefined,
  rest: string[],
  values: Values,
  dataDir: string,
  out: Out,
): Promise<number | null> {
  const audit = async (db: Parameters<typeof appendAudit>[0], procedure: string, affectedIds: string[]) =>
    appendAudit(db, { at: Date.now(), actorUserId: null, actorName: osActor(), procedure, affectedIds, result: 'ok', via: 'cli' })

  if (command === 'lists' && sub === 'template') {
    if (!values.out) {
      out.error('用法：lists template --out FILE.xlsx')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      writeFileSync(values.out!, await buildRecordTemplate({ name: '名单', fields: LIST_FIELDS }, await loadDictEntries(db)))
      out.log(`已生成名单导入模板 ${values.out}`)
      return 0
    })
  }

  if (command === 'lists' && sub === 'import') {
    const file = rest[0]
    if (!file) {
      out.error('用法：lists import FILE.xlsx [--dry-run] [--valid-only] [--json]')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const keys = await loadFieldKeys(db, dataDir, noProtector)
      const today = beijingDate(Date.now())
      const ctx = { today, ...(await loadCheckDicts(db)) }
      try {
        const r = await importListWorkbook(db, keys, file, ctx, {
          validOnly: !!values['valid-only'],
          dryRun: !!values['dry-run'],
          createdBy: null,
          now: Date.now(),
          fileName: basename(file),
          beforeCommit: (trx, o) =>
            audit(trx, 'cli:lists-import', [
              `list-import:${basename(file)}`,
              `imported:${o.imported}`,
              `merged:${o.merged}`,
              `rejected:${o.rejected}`,
            ]),
        })
        for (const i of r.issues)
          out.log(
            values.json
              ? JSON.stringify({ row: i.row, column: i.columnName, reason: i.reason })
              : `第 ${i.row} 行\t${i.columnName}\t${i.reason}`,
          )
        const done = values['dry-run']
          ? `检查完毕（未写入）：${r.rows} 行，${r.rejected} 行有错误`
          : r.rejected && !values['valid-only']
            ? `${r.rejected} 行有错误，未导入任何名单（加 --valid-only 只导入正确的行）`
            : `已导入 ${r.imported} 条，合并更新 ${r.merged} 条，${r.rejected} 行有错误未导入`
        out.error(done)
        return r.rejected && !values['valid-only'] ? 1 : 0
      } catch (err) {
        if (err instanceof AppError && err.details?.reason) {
          out.error(`文件无法导入：${importRejectionText(err.details)}`)
          return 1
        }
        throw err
      }
    })
  }

  if (command === 'check' && sub === 'subjects') {
    if (!values.purpose || (!values.file && !rest.length)) {
      out.error('用法：check subjects CODE... | --file FILE.xlsx --purpose 核查事项 [--json]')
      return 2
    }
    return withDatabase(
      dataDir,
      out,
      async ({ db }) => {
        const keys = await loadFieldKeys(db, dataDir, noProtector)
        let subjects: RawSubject[]
        try {
          subjects = values.file ? await readSubjectFile(values.file) : rest.map((code) => ({ name: null, code }))
        } catch (err) {
          if (err instanceof AppError && err.details?.reason) {
            out.error(`文件无法读取：${importRejectionText(err.details)}`)
            return 1
          }
          throw err
        }
        const today = beijingDate(Date.now())
        const id = await runCheck(
          db,
          keys,
          {
            purpose: values.purpose!,
            subjects,
            fileName: values.file ? basename(values.file) : null,
            userId: null,
            actorName: osActor(),
            unitId: null,
            now: Date.now(),
            today,
          },
          (trx, checkId) => audit(trx, 'cli:check-subjects', [`credit-check:${checkId}`, `subjects:${subjects.length}`]),
        )
        const check = await getCheck(db, id)
        for (const r of check.results) {
          if (values.json)
            out.log(
              JSON.stringify({
                subject: r.subjectShown ?? r.subjectName,
                name: r.subjectName,
                verdict: VERDICT_KEYS[r.verdict],
                nameOnly: r.nameOnly,
                ...(r.problem ? { problem: r.problem } : {}),
                hits: r.hits.map((h) => ({
                  source: h.source,
                  kind: h.kind,
                  basis: h.basis,
                  by: h.by,
                  date: h.date,
                  until: h.until,
                  active: h.active,
                  state: h.state,
                })),
              }),
            )
          else
            out.log(
              [
                r.subjectShown ?? '',
                r.subjectName,
                VERDICT_LABELS[r.verdict],
                r.problem ?? r.hits.map((h) => `${HIT_SOURCE_LABELS[h.source]}·${h.kind}·${h.state}：${h.basis}`).join('；'),
              ].join('\t'),
            )
        }
        out.error(`${check.number}：核查 ${check.subjectCount} 个主体，${check.hitCount} 个有记录`)
        return 0
      },
      { office: true },
    )
  }

  if (command === 'report' && sub === 'subject') {
    const code = rest[0]
    if (!code || !values.out || !values.purpose) {
      out.error(
        '用法：report subject CODE --purpose 用途 [--authorisation 授权书编号] [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE.pdf',
      )
      return 2
    }
    return withDatabase(
      dataDir,
      out,
      async ({ db }) => {
        const keys = await loadFieldKeys(db, dataDir, noProtector)
        const today = beijingDate(Date.now())
        const to = values.to ?? today
        const from = values.from ?? `${Number(to.slice(0, 4)) - 3}${to.slice(4)}`
        try {
          const id = await createReport(
            db,
            keys,
            {
              subject: { name: null, code },
              purpose: values.purpose!,
              authorisation: values.authorisation ?? null,
              periodFrom: from,
              periodTo: to,
              actorName: osActor(),
            },
            null,
            Date.now(),
            today,
            (trx, reportId) =>
              audit(trx, 'cli:report-subject', [
                `credit-report:${reportId}`,
                ...(values.authorisation ? [`authorisation:${values.authorisation}`] : []),
              ]),
          )
          const report = await getReport(db, id)
          await writeReportPdf(report, values.out!, values.font)
          out.log(`已出具 ${report.number}（${report.subjectName}），保存到 ${values.out}`)
          return 0
        } catch (err) {
          const fields = err instanceof AppError ? (err.details?.fields as Array<{ message: string }> | undefined) : undefined
          if (fields?.length) {
            out.error(fields.map((f) => fieldMessage(f.message)).join('；'))
            return 1
          }
          throw err
        }
      },
      { office: true },
    )
  }
  return null
}
