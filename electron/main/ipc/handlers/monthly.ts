// The month's 归集 report: the page reads it, saves it as Excel, and saves the printed 通报 (the page itself) as PDF.
import { exportMonthlyWorkbook, monthlyReport } from '../../../core/catalog/monthly-report'
import { savePagePdf, saveXlsx, type HandlersOf } from './shared'

export const monthlyHandlers: HandlersOf<'stats'> = {
  'stats:monthly': async ({ month }, { db }) => monthlyReport(db, month),
  'stats:monthly-export': async ({ month }, ctx) => {
    const r = await saveXlsx(ctx, '导出归集月报', `归集月报-${month}.xlsx`, (path) => exportMonthlyWorkbook(ctx.db, month, path))
    if (!r.cancelled) ctx.affected.push(`monthly-report:${month}`, 'export:xlsx')
    return r
  },
  'stats:monthly-pdf': async ({ month }, ctx) => {
    const r = await savePagePdf(ctx, '导出归集月报通报', `归集月报通报-${month}.pdf`)
    if (!r.cancelled) ctx.affected.push(`monthly-report:${month}`, 'export:pdf')
    return r
  },
}
