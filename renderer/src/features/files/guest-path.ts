// Guest paths in the guest's own syntax: '/' on Linux, '\' with a drive on Windows. Names are
// joined, never parsed from user text, so a Linux name holding '\' stays one name.

export type Separator = '/' | '\\'

/** `dir` + `name`: `/var` + `log` → `/var/log`; `C:\` + `Temp` → `C:\Temp`. */
export function joinGuestPath(dir: string, name: string, sep: Separator): string {
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`
}

/** The root of a path: `/`, or the drive (`C:\`). */
export function guestRoot(path: string, sep: Separator): string {
  if (sep === '/') return '/'
  const drive = /^[A-Za-z]:/.exec(path)
  return drive ? `${drive[0]}\\` : '\\'
}

/** The parent directory, or undefined at the root. */
export function parentGuestPath(path: string, sep: Separator): string | undefined {
  const root = guestRoot(path, sep)
  const trimmed = path.length > root.length && path.endsWith(sep) ? path.slice(0, -1) : path
  if (trimmed === root || trimmed.length <= root.length) return undefined
  const cut = trimmed.lastIndexOf(sep)
  return cut < root.length ? root : trimmed.slice(0, cut)
}

/** Breadcrumbs: each ancestor with its label, root first (`/`, `var`, `log`). */
export function guestCrumbs(path: string, sep: Separator): { label: string; path: string }[] {
  const root = guestRoot(path, sep)
  const crumbs = [{ label: sep === '/' ? '/' : root.slice(0, -1) || '\\', path: root }]
  let at = root
  for (const part of path.slice(root.length).split(sep)) {
    if (part === '') continue
    at = joinGuestPath(at, part, sep)
    crumbs.push({ label: part, path: at })
  }
  return crumbs
}
