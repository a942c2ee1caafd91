// The figures the benches report: medians of runs, percentiles of samples, one JSON line each.

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The nearest-rank percentile: the smallest value with at least p% of the samples at or below it. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

/** One figure as one JSON line on stdout, which scripts/bench.ts collects. */
export function print(figure: Record<string, unknown>): void {
  console.log(JSON.stringify(figure))
}
