// Finding and reading clouds.yaml and secure.yaml the way openstacksdk does
// (openstack/config/loader.py, reference openstack.md §2.1): a fixed list of directories,
// three file names in each, the first file that exists and parses wins, no merging between
// candidates; secure.yaml is found the same way and deep-merged over clouds.yaml.
import fs from 'node:fs/promises'
import path from 'node:path'
import YAML from 'yaml'
import { isRecord, type Env } from './candidate'

export interface SearchContext {
  env: Env
  platform: NodeJS.Platform
  homeDir: string
  cwd: string
}

/**
 * A path as the preview shows it: under the home directory as `~/…`. The renderer gets
 * display text, not absolute paths to hand back (DESIGN.md, "Processes and trust").
 */
export function displayPath(file: string, ctx: SearchContext): string {
  const p = pathsFor(ctx.platform)
  const rel = p.relative(ctx.homeDir, file)
  return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel) ? `~${p.sep}${rel}` : file
}

/** Bigger files are not configuration: skip them rather than hold them in memory. */
const MAX_FILE_BYTES = 1024 * 1024

function pathsFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix
}

/** The directories openstacksdk searches, in its order, without repeats. */
export function openstackConfigDirs(ctx: SearchContext): string[] {
  const p = pathsFor(ctx.platform)
  const { env, homeDir } = ctx
  let userConfig: string
  let siteConfig: string | undefined
  if (ctx.platform === 'win32') {
    // platformdirs: user_config_dir('openstack', 'OpenStack') is not roaming; site is ProgramData.
    userConfig = p.join(env.LOCALAPPDATA ?? p.join(homeDir, 'AppData', 'Local'), 'OpenStack', 'openstack')
    siteConfig = p.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'OpenStack', 'openstack')
  } else if (ctx.platform === 'darwin') {
    userConfig = p.join(homeDir, 'Library', 'Application Support', 'openstack')
    siteConfig = '/Library/Application Support/openstack'
  } else {
    const xdgHome = env.XDG_CONFIG_HOME
    userConfig = p.join(xdgHome !== undefined && p.isAbsolute(xdgHome) ? xdgHome : p.join(homeDir, '.config'), 'openstack')
    const xdgDirs = (env.XDG_CONFIG_DIRS ?? '').split(':').filter((d) => p.isAbsolute(d))
    siteConfig = p.join(xdgDirs[0] ?? '/etc/xdg', 'openstack')
  }
  // Under a snap, HOME is the snap's own; openstacksdk looks in the real home.
  const unixConfig = p.join(env.SNAP_REAL_HOME ?? homeDir, '.config', 'openstack')
  const dirs = [ctx.cwd, userConfig, unixConfig, siteConfig, '/etc/openstack']
  return [...new Set(dirs)]
}

/** The files tried for `clouds` or `secure`, in order; OS_CLIENT_CONFIG_FILE / OS_CLIENT_SECURE_FILE go first. */
export function configFileCandidates(ctx: SearchContext, base: 'clouds' | 'secure'): string[] {
  const p = pathsFor(ctx.platform)
  const override = base === 'clouds' ? ctx.env.OS_CLIENT_CONFIG_FILE : ctx.env.OS_CLIENT_SECURE_FILE
  const files = openstackConfigDirs(ctx).flatMap((dir) => ['yaml', 'yml', 'json'].map((ext) => p.join(dir, `${base}.${ext}`)))
  return override !== undefined && override !== '' ? [override, ...files] : files
}

/** Parses clouds.yaml, secure.yaml or their .json forms (JSON is YAML); throws on a syntax error or a non-mapping. */
export function parseConfigText(text: string): Record<string, unknown> {
  // The yaml package's default alias limit stops "billion laughs" documents.
  const doc: unknown = YAML.parse(text, { prettyErrors: false })
  if (doc === null || doc === undefined) return {}
  if (!isRecord(doc)) throw new Error('the document is not a mapping')
  return doc
}

export interface FoundConfig {
  path: string
  data: Record<string, unknown>
}

/**
 * The first file of `candidates` that exists, is readable and parses. The others are
 * reported in `problems` (a damaged file is skipped, as openstacksdk does) but a missing
 * file is not worth a word.
 */
export async function readFirstConfig(
  candidates: readonly string[],
  display: (file: string) => string = (f) => f,
): Promise<{ found?: FoundConfig; problems: string[] }> {
  const problems: string[] = []
  for (const file of candidates) {
    let text: string
    try {
      const stat = await fs.stat(file)
      if (!stat.isFile()) continue
      if (stat.size > MAX_FILE_BYTES) {
        problems.push(`${display(file)} is larger than 1 MiB; skipped.`)
        continue
      }
      text = await fs.readFile(file, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${display(file)} could not be read (${code ?? 'error'}); skipped.`)
      continue
    }
    try {
      return { found: { path: file, data: parseConfigText(text) }, problems }
    } catch {
      problems.push(`${display(file)} could not be parsed; skipped.`)
    }
  }
  return { problems }
}

/** Merges `over` into `base` recursively: mappings merge, anything else in `over` replaces. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    if (key === '__proto__') continue // would replace the prototype, not add a key
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    out[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value
  }
  return out
}

/** The `clouds` mapping of a parsed file (empty when it has none). */
export function cloudsOf(data: Record<string, unknown>): Record<string, unknown> {
  return isRecord(data.clouds) ? data.clouds : {}
}
