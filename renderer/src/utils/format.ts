const pad = (n: number) => String(n).padStart(2, '0')

/** 2026-11-22 10:05:09 in the PC's local time. */
export function formatTime(ms: number | null | undefined): string {
  if (ms == null) return '—'
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}
