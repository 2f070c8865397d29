// Every file of the hostile corpus (tests/fixtures/hostile, built by scripts/make-hostile-corpus.ts) goes through
// the real import and plan-parsing paths with the limits on: each is refused with the limit or reason it trips, in
// seconds, and nothing is stored. Before the parse worker, several of these killed the process or ran for minutes.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importRejectionText } from '../../electron/contract/messages.zh-CN'
import type { CatalogField, CatalogItem } from '../../electron/contract/schemas/catalog'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { loadPreviewContext, loadStoreContext } from '../../electron/core/catalog/record-context'
import { previewImport } from '../../electron/core/catalog/record-import'
import { importRecords } from '../../electron/core/catalog/records'
import { loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import type { AppError } from '../../electron/core/shared/app-error'
import { readPlan } from '../../electron/core/supervision/plan-text'
import { freshDb } from '../helpers'

const CORPUS = join(__dirname, '..', 'fixtures', 'hostile')
const file = (name: string) => join(CORPUS, name)
const TODAY = '2026-12-01'

/** What each file must come to: a limit, a refusal reason, or (for the ones that are merely odd) a parse. */
const EXPECTED: Record<string, { limit: string } | { reason: string } | 'parsed'> = {
  'shared-string-400mb.xlsx': { limit: 'cell_length' },
  'shared-string-runs.xlsx': { limit: 'cell_length' },
  'cell-600mb.xlsx': { limit: 'cell_length' },
  'entries-6000.xlsx': { limit: 'entries' },
  'row-2000000.xlsx': { limit: 'rows' },
  'merge-million-rows.xlsx': 'parsed',
  'entities.xlsx': { reason: 'corrupt' }, // the XML reader refuses a DTD rather than expanding it
  'formula-without-value.xlsx': 'parsed',
  'truncated.xlsx': { reason: 'corrupt' },
  'random.xlsx': { reason: 'corrupt' },
  'pk-garbage.xlsx': { reason: 'corrupt' },
  'docx-bomb.docx': { limit: 'part_size' },
  'docx-many-parts.docx': { limit: 'total_size' },
  'docx-unclosed-tables.docx': 'parsed',
  'docx-open-brackets.docx': 'parsed',
  'docx-not-zip.docx': { reason: 'corrupt' },
  'pdf-100000-pages.pdf': { limit: 'pages' },
  'pdf-truncated.pdf': { reason: 'corrupt' },
  'plan-1m-chars.txt': { limit: 'characters' },
  'plan-binary.txt': 'parsed',
}

/** Three text columns the corpus workbooks carry as their header. */
const FIELDS: CatalogField[] = [
  {
    code: 'XDR_MC',
    name: '行政相对人名称',
    type: 'text',
    required: true,
    maxLength: 200,
    dictTypeCode: null,
    checkRule: null,
    sensitive: false,
  },
  {
    code: 'XK_WSH',
    name: '行政许可决定文书号',
    type: 'text',
    required: true,
    maxLength: 64,
    dictTypeCode: null,
    checkRule: 'document_number',
    sensitive: false,
  },
  { code: 'XK_NR', name: '许可内容', type: 'text', required: true, maxLength: 4000, dictTypeCode: null, checkRule: null, sensitive: false },
]

async function outcome(run: () => Promise<unknown>): Promise<{ limit: string } | { reason: string } | 'parsed'> {
  try {
    await run()
    return 'parsed'
  } catch (err) {
    const details = (err as AppError).details ?? {}
    expect((err as AppError).code, String(err)).toBe('IMPORT_FILE_REJECTED')
    return details.reason === 'limit' ? { limit: String(details.limit) } : { reason: String(details.reason) }
  }
}

describe('hostile files', () => {
  it('the corpus is complete: every file in the folder has its expected outcome', () => {
    expect(readdirSync(CORPUS).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it(
    'every workbook is refused with its limit or reason (or read within limits), and an import stores nothing',
    { timeout: 120_000 },
    async () => {
      const { db, dataDir } = await freshDb()
      const item: CatalogItem = {
        ...(await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_XK').first('id'))!.id)),
        fields: FIELDS,
      }
      const ctx = await loadStoreContext(db, TODAY, await loadFieldKeys(db, dataDir, noProtector))
      for (const name of Object.keys(EXPECTED).filter((n) => n.endsWith('.xlsx'))) {
        const started = Date.now()
        expect(await outcome(() => previewImport(file(name), item, ctx)), name).toEqual(EXPECTED[name])
        expect(Date.now() - started, `${name} took too long`).toBeLessThan(30_000)
        // The import itself, keeping only the good rows where there are any: nothing gets in from a refused file.
        const imported = await importRecords(db, item, file(name), ctx, {
          mode: 'valid_only',
          fileName: name,
          supplierUnitId: null,
          createdBy: null,
          via: 'cli',
          now: 1,
        }).then(
          (r) => r.imported,
          () => 0,
        )
        if (EXPECTED[name] !== 'parsed') expect(imported, name).toBe(0)
      }
      expect(Number((await db('records').whereIn('subject_name', ['某某公司']).count({ n: '*' }))[0]!.n)).toBeLessThanOrEqual(1)
    },
  )

  it('a formula without a cached value is a row error, not the text "[object Object]"', async () => {
    const { db } = await freshDb()
    const item: CatalogItem = {
      ...(await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_XK').first('id'))!.id)),
      fields: FIELDS,
    }
    const preview = await previewImport(file('formula-without-value.xlsx'), item, await loadPreviewContext(db, TODAY))
    expect(preview).toMatchObject({ rows: 1, invalidRows: 1 })
    expect(preview.issues).toEqual([
      expect.objectContaining({ row: 2, column: 'XK_WSH', reason: expect.stringContaining('公式但没有计算结果') }),
    ])
  })

  it('a merge claiming a million rows flags only the rows that exist', async () => {
    const { db } = await freshDb()
    const item: CatalogItem = {
      ...(await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_XK').first('id'))!.id)),
      fields: FIELDS,
    }
    const preview = await previewImport(file('merge-million-rows.xlsx'), item, await loadPreviewContext(db, TODAY))
    expect(preview).toMatchObject({ rows: 1, invalidRows: 1 })
    expect(preview.issues.map((i) => i.row)).toEqual([2])
  })

  it('every plan document is refused with its limit or reason, or decomposed, in seconds', { timeout: 120_000 }, async () => {
    for (const name of Object.keys(EXPECTED).filter((n) => !n.endsWith('.xlsx'))) {
      const started = Date.now()
      expect(await outcome(() => readPlan(file(name))), name).toEqual(EXPECTED[name])
      expect(Date.now() - started, `${name} took too long`).toBeLessThan(20_000)
    }
  })

  it('the refusal names the limit and its value in Chinese', () => {
    expect(importRejectionText({ reason: 'limit', limit: 'cell_length', max: 512 * 1024 })).toContain('512 KB')
    expect(importRejectionText({ reason: 'limit', limit: 'part_size', max: 32 * 1024 * 1024, part: 'word/document.xml' })).toBe(
      '文件中的部件“word/document.xml”解压后超过 32 MB，已停止读取，未导入任何内容',
    )
    expect(importRejectionText({ reason: 'limit', limit: 'pages', max: 500 })).toBe('PDF 超过 500 页，不像是工作要点文档，未读取')
    expect(importRejectionText({ reason: 'limit', limit: 'time', max: 60_000 })).toContain('1 分钟')
  })
})

describe('the parse worker', () => {
  it('stops a parse that runs past its deadline, with the time limit named', async () => {
    const { parseOnce } = await import('../../electron/core/untrusted/parse-in-worker')
    await expect(parseOnce({ op: 'plan', path: file('plan-binary.txt') }, 1)).rejects.toMatchObject({
      code: 'IMPORT_FILE_REJECTED',
      details: { reason: 'limit', limit: 'time', max: 1 },
    })
  })
})
