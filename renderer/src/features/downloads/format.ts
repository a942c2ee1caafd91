// How sizes, rates and times left read in the downloads panel and the file browser.

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const

/** 1536 → "1.5 KB"; binary multiples, one decimal below 10. */
export function formatBytes(n: number): string {
  if (n < 1024) return n === 1 ? '1 byte' : `${n} bytes`
  let value = n
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`
}

/** Bytes per second as "4.2 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`
}

/** Seconds left as "12 s left", "3 min left", "1 h 5 min left". */
export function formatEta(seconds: number): string {
  const s = Math.ceil(seconds)
  if (s < 60) return `${s} s left`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min left`
  return `${Math.floor(m / 60)} h ${m % 60} min left`
}

/** "3.1 MB of 16 MB · 4.2 MB/s · 3 s left" for a running download. */
export function progressText(bytes: number, total: number | undefined, rate: number | undefined, eta: number | undefined): string {
  const parts = [total !== undefined ? `${formatBytes(bytes)} of ${formatBytes(total)}` : formatBytes(bytes)]
  if (rate !== undefined) parts.push(formatRate(rate))
  if (eta !== undefined) parts.push(formatEta(eta))
  return parts.join(' · ')
}
