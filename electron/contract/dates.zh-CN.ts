// Dates as Chinese documents write them (2026年12月1日), for printouts, letters and exported files alike.

/** An ISO day (YYYY-MM-DD) written out: 2026年9月30日. */
export function chineseDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** The Beijing day of a timestamp, written out. */
export function chineseDayOf(ms: number): string {
  return chineseDay(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10))
}
