import { reactive, ref, type Ref } from 'vue'
import { presentError } from '../api/client'

/**
 * The state behind every SQL-paged table: the page the user is on, the rows main returned for it,
 * the total, and a loading flag. `search()` goes back to page 1 (new filters); `load()` keeps the page.
 */
export function usePagedList<T>(fetchPage: (paging: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>) {
  const paging = reactive({ page: 1, pageSize: 20 })
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)

  async function load(): Promise<void> {
    loading.value = true
    try {
      const result = await fetchPage({ page: paging.page, pageSize: paging.pageSize })
      rows.value = result.items
      total.value = result.total
    } catch (err) {
      presentError(err)
    } finally {
      loading.value = false
    }
  }

  function search(): void {
    paging.page = 1
    void load()
  }

  return { paging, rows, total, loading, load, search }
}
