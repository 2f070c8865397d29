// Documents that leave the screen: a print is logged in main first (its audit row), then the OS print dialog opens;
// a file saved through main is announced by name. One place for every printable or exportable page.
import { ElMessage } from 'element-plus'
import { presentError } from '../api/client'
import { fmt, t } from '../locales/zh-CN'

export async function printLogged(log: () => Promise<unknown>): Promise<void> {
  try {
    await log()
    window.print()
  } catch (err) {
    presentError(err)
  }
}

type Saved = { cancelled: boolean; fileName: string | null; rows: number }

/** Runs an export; when the user did not cancel, says where it went (by default "已导出到 …"). */
export async function saveAndTell(
  run: () => Promise<Saved>,
  message: (r: Saved) => string = (r) => fmt(t.archives.pdfSaved, { file: r.fileName! }),
) {
  try {
    const r = await run()
    if (!r.cancelled) ElMessage.success(message(r))
  } catch (err) {
    presentError(err)
  }
}
