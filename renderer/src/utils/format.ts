import { chineseDay, chineseDayOf } from '../../../electron/contract/dates.zh-CN'
const pad = (n: number) => String(n).padStart(2, '0')

/** 2026-11-22 10:05:09 in the PC's local time. */
export function formatTime(ms: number | null | undefined): string {
  if (ms == null) return '—'
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** A date as documents write it: 2026年12月1日 (a timestamp in the office's day, or an ISO day). */
export function chineseDate(value: number | string): string {
  return typeof value === 'string' ? chineseDay(value) : chineseDayOf(value)
}
