// ZStack's dates: Gson's default java.sql.Timestamp rendering, US English, in the management
// node's local time zone with no offset (reference §0): "Nov 3, 2024 10:01:02 AM".
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `MMM d, yyyy h:mm:ss a` in this process's local time. */
export function zstackDate(ms: number): string {
  const d = new Date(ms)
  const h = d.getHours()
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${h < 12 ? 'AM' : 'PM'}`
}
