import { shallowReactive } from 'vue'
import { presentError } from '../api/client'

export interface PagedList<T> {
  page: number
  pageSize: number
  rows: T[]
  total: number
  /** More rows match than were counted (main stops counting at a cap). */
  capped: boolean
  loading: boolean
  /** Reloads the current page. */
  load(): Promise<void>
  /** New filters: back to page 1. */
  search(): void
  setPage(page: number): void
  setPageSize(size: number): void
}

/**
 * The state behind every SQL-paged table: the page the user is on, the rows main returned for it,
 * the total and a loading flag, as one object the page and its <ListPager> share.
 */
export function usePagedList<T>(
  fetchPage: (paging: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number; capped?: boolean }>,
): PagedList<T> {
  const list: PagedList<T> = shallowReactive({
    page: 1,
    pageSize: 20,
    rows: [] as T[],
    total: 0,
    capped: false,
    loading: false,
    async load() {
      list.loading = true
      try {
        const result = await fetchPage({ page: list.page, pageSize: list.pageSize })
        list.rows = result.items
        list.total = result.total
        list.capped = result.capped ?? false
      } catch (err) {
        presentError(err)
      } finally {
        list.loading = false
      }
    },
    search() {
      list.page = 1
      void list.load()
    },
    setPage(page: number) {
      list.page = page
      void list.load()
    },
    setPageSize(size: number) {
      list.pageSize = size
      list.search()
    },
  })
  return list
}
