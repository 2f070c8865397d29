import { defineStore } from 'pinia'
import { reactive } from 'vue'
import type { DictItem } from '../../../electron/contract/schemas/dicts'
import { call } from '../api/client'

/** Dictionary entries by type, fetched once per session of the page and shared by forms and tables. */
export const useDictStore = defineStore('dicts', () => {
  const byType = reactive<Record<string, DictItem[]>>({})

  async function ensure(...types: string[]): Promise<void> {
    await Promise.all(types.filter((t) => !byType[t]).map(async (t) => (byType[t] = await call('dicts:items', { typeCode: t }))))
  }

  function options(type: string): DictItem[] {
    return (byType[type] ?? []).filter((i) => i.enabled)
  }

  function label(type: string, value: string | null | undefined): string {
    if (value == null) return '—'
    return byType[type]?.find((i) => i.value === value)?.label ?? value
  }

  return { ensure, options, label }
})
