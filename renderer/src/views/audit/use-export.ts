import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { Input } from '../../../../electron/contract'
import { call, presentError } from '../../api/client'
import { fmt, t } from '../../locales/zh-CN'

/** Exports the current filter to Excel; main asks where to save and writes the file. */
export function useExport() {
  const exporting = ref(false)
  async function runExport(input: Input<'audit:export'>) {
    exporting.value = true
    try {
      const result = await call('audit:export', input)
      if (!result.cancelled)
        ElMessage.success({ message: fmt(t.audit.exported, { rows: result.rows, file: result.fileName ?? '' }), duration: 5000 })
    } catch (err) {
      presentError(err)
    } finally {
      exporting.value = false
    }
  }
  return { exporting, runExport }
}
