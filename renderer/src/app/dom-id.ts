/** An element id built from a tab or item id, which may hold characters ids should not (":" and "/" in VM refs). */
export function domId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`
}
