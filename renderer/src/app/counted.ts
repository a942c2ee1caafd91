/**
 * A count with its noun: "1 VM", "3 VMs", "1 process", "0 entries". Singular for exactly one,
 * as English wants; `many` for nouns whose plural is not just an added "s".
 */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`
}
