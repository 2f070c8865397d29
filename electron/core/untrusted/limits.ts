// What a file from outside may cost before it is refused: every limit in one place, each named in the Chinese
// message that refuses a file (contract/messages.zh-CN.ts). Generous for real office files (a 100,000-row 双公示
// workbook, a 50-page 工作要点), far below what would take the app down.

/** Bytes on disk. */
export const MAX_WORKBOOK_FILE = 200 * 1024 * 1024
export const MAX_PLAN_FILE = 50 * 1024 * 1024

export interface ZipLimits {
  entries: number
  /** Uncompressed bytes of all parts together. */
  total: number
  /** Uncompressed bytes of one part, by name; `other` for the rest. */
  part: (name: string) => number
  /** Bytes between two cell (or shared-string) starts: Excel's own cap is 32,767 characters per cell. */
  cell: number
}

const MiB = 1024 * 1024

export const XLSX_LIMITS: ZipLimits = {
  entries: 5_000,
  total: 1536 * MiB,
  part: (name) => (/^xl\/worksheets\/[^/]+\.xml$/.test(name) ? 1024 * MiB : name === 'xl/sharedStrings.xml' ? 256 * MiB : 16 * MiB),
  cell: 512 * 1024,
}

export const DOCX_LIMITS: ZipLimits = {
  entries: 5_000,
  total: 128 * MiB,
  part: (name) => (name === 'word/document.xml' ? 32 * MiB : 16 * MiB),
  cell: 32 * MiB, // paragraphs are not cells: the part limit is what counts
}

/** Excel's own sheet size. */
export const MAX_ROWS = 1_048_576
export const MAX_PDF_PAGES = 500
/** A 工作要点 runs to some tens of thousands of characters. */
export const MAX_PLAN_CHARS = 1_000_000

/** The worker that parses a file from outside: its own heap, a deadline, and what the whole process may grow by. */
export const WORKER_HEAP_MB = 512
export const WORKER_YOUNG_MB = 64
export const WORKBOOK_DEADLINE_MS = 10 * 60_000
export const PLAN_DEADLINE_MS = 60_000
/** Buffers (inflated streams, pdf.js data) live outside the heap limit: the host watches the process's growth. */
export const MAX_RSS_GROWTH = 1024 * MiB

export type LimitName =
  'file_size' | 'entries' | 'total_size' | 'part_size' | 'cell_length' | 'rows' | 'pages' | 'characters' | 'memory' | 'time'
