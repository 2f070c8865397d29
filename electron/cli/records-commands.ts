// catalog list, records template and records import: the same core as the app's 归集数据 page.
import { writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { importRejectionText } from '../contract/messages.zh-CN'
import { listCatalog } from '../core/catalog/catalog'
import { beijingDate, loadPreviewContext, loadStoreContext } from '../core/catalog/record-context'
import { previewImport, writeErrorWorkbook } from '../core/catalog/record-import'
import { buildRecordTemplate } from '../core/catalog/record-template'
import { importRecords } from '../core/catalog/records'
import { appendAudit } from '../core/audit/audit-log'
import { loadFieldKeys, noProtector } from '../core/security/key-store'
import { AppError } from '../core/shared/app-error'
import { loadDictEntries } from '../core/system/dictionaries'
import { osActor, withDatabase, withItem, type Out } from './cli-context'

interface Values {
  item?: string
  out?: string
  errors?: string
  json?: boolean
  'dry-run'?: boolean
  'valid-only'?: boolean
}

/** Runs a catalog or records command; null when `sub` is not one of them. */
export async function runRecords(
  command: string,
  sub: string | undefined,
  rest: string[],
  values: Values,
  dataDir: string,
  out: Out,
): Promise<number | null> {
  if (command === 'catalog' && sub === 'list') {
    return withDatabase(dataDir, out, async ({ db }) => {
      const statusText: Record<string, string> = {
        draft: '草稿',
        submitted: '待审核',
        approved: '已生效',
        superseded: '已替代',
        retired: '已停用',
      }
      for (let page = 1; ; page++) {
        const { items, total } = await listCatalog(db, { page, pageSize: 200, keyword: null, categoryCode: null, currentOnly: true })
        for (const i of items) {
          if (values.json)
            out.log(
              JSON.stringify({
                code: i.code,
                version: i.version,
                status: i.status,
                name: i.name,
                category: i.categoryName,
                infoClass: i.infoClass,
                fields: i.fieldCount,
              }),
            )
          else out.log(`${i.code}\tv${i.version}\t${statusText[i.status]}\t${i.name}\t${i.categoryName}\t${i.fieldCount} 项`)
        }
        if (page * 200 >= total) return 0
      }
    })
  }

  if (command === 'records' && sub === 'template') {
    if (!values.item || !values.out) {
      out.error('请提供 --item 目录编码 和 --out 文件名 / give --item CODE and --out FILE.xlsx')
      return 2
    }
    return withItem(dataDir, out, values.item, async (db, item) => {
      writeFileSync(values.out!, await buildRecordTemplate(item, await loadDictEntries(db)))
      out.log(`已生成 ${item.name}（${item.code} v${item.version}，${item.fields.length} 个数据项）的导入模板：${values.out}`)
      return 0
    })
  }

  if (command === 'records' && sub === 'import') {
    const file = rest[0]
    if (!values.item || !file) {
      out.error('请提供 --item 目录编码 和 Excel 文件 / give --item CODE and FILE.xlsx')
      return 2
    }
    return withItem(
      dataDir,
      out,
      values.item,
      async (db, item) => {
        const today = beijingDate(Date.now())
        try {
          const result = values['dry-run']
            ? { imported: 0, preview: await previewImport(file, item, await loadPreviewContext(db, today)) }
            : await importRecords(db, item, file, await loadStoreContext(db, today, await loadFieldKeys(db, dataDir, noProtector)), {
                mode: values['valid-only'] ? 'valid_only' : 'all',
                fileName: basename(file),
                supplierUnitId: null,
                createdBy: null,
                via: 'cli',
                now: Date.now(),
                beforeCommit: (trx, r) =>
                  appendAudit(trx, {
                    at: Date.now(),
                    actorUserId: null,
                    actorName: osActor(),
                    procedure: 'cli:records-import',
                    affectedIds: [`batch:${r.batchId}`, `catalog:${item.id}`, `rows:${r.imported}`],
                    result: 'ok',
                    via: 'cli',
                  }),
              })
          const p = result.preview
          for (const i of p.issues)
            out.log(
              values.json
                ? JSON.stringify({ row: i.row, column: i.columnName, reason: i.reason })
                : `第 ${i.row} 行\t${i.columnName}\t${i.reason}`,
            )
          if (values.errors && p.invalidRows) await writeErrorWorkbook(file, item, p, values.errors, await loadDictEntries(db))
          const summary = {
            rows: p.rows,
            valid: p.validRows,
            invalid: p.invalidRows,
            late: p.lateRows,
            imported: result.imported,
            dryRun: values['dry-run'],
          }
          if (values.json) out.log(JSON.stringify({ summary }))
          else
            out.log(
              `共 ${p.rows} 行：正确 ${p.validRows}，错误 ${p.invalidRows}，逾期报送 ${p.lateRows}；已导入 ${result.imported} 条${values['dry-run'] ? '（仅检查，未写入）' : ''}`,
            )
          if (p.calendarGaps.length) out.error(`注意：${p.calendarGaps.join('、')} 年的节假日安排尚未录入，逾期判断只按周末计算`)
          return p.invalidRows ? 1 : 0
        } catch (err) {
          if (err instanceof AppError && err.code === 'IMPORT_FILE_REJECTED') {
            out.error(importRejectionText(err.details ?? {}))
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
