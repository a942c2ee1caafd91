// Guest filesystem (reference §6.1, §6.2, §6.5): files list (paged, regex filter), file info and
// download transfer URLs over a deterministic directory tree per guest. The tree holds what a
// download client must survive: multi-GiB files (bytes made on the fly, guest-file-content.ts),
// names with spaces, unicode, dots, control characters and reserved Windows names, names of
// 255 bytes, and a directory of 5,000 entries. The URLs are served by the "ESXi host"
// listener (esxi-transfer.ts).
import { z } from 'zod'
import { transfersOf } from './esxi-transfer'
import { authorizeGuest, type GuestUser } from './guest-auth'
import { contentLabel, type FileContent } from './guest-file-content'
import { invalidArgument } from './filters'
import type { Vm } from './inventory'
import { random } from './random'
import { actionOf, type Call, type LabState } from './state'
import { created, message, ok, VapiError, type Reply } from './wire'

export interface FileNode {
  name: string
  type: 'FILE' | 'DIRECTORY' | 'SYMLINK'
  size: number
  modified: number
  /** Children by normalized name (lower-case on Windows), in guest order. */
  children?: Map<string, FileNode>
  target?: string
  /** Only the guest's administrator may read it. */
  adminOnly?: boolean
  hidden?: boolean
  /** How its bytes are made (files only). */
  content?: FileContent
}

export interface FileTree {
  windows: boolean
  root: FileNode
}

const COREUTILS = [
  'bash', 'sh', 'ls', 'cat', 'cp', 'mv', 'rm', 'mkdir', 'rmdir', 'sleep', 'true', 'false', 'echo', 'env', 'grep', 'sed',
  'awk', 'find', 'xargs', 'tar', 'gzip', 'gunzip', 'ps', 'kill', 'top', 'df', 'du', 'free', 'uname', 'hostname', 'id',
  'whoami', 'date', 'touch', 'chmod', 'chown', 'ln', 'head', 'tail', 'sort', 'uniq', 'wc', 'tee', 'curl', 'wget', 'ssh',
  'scp', 'python3', 'perl', 'vi', 'nano', 'less', 'systemctl', 'journalctl', 'ip', 'ss', 'ping', 'dig', 'openssl', 'sudo',
]
const GiB = 1024 ** 3
const MiB = 1024 ** 2

/** Files a download client must cope with (a Linux guest may name files anything but '/' and NUL). */
const HOSTILE_NAMES = [
  'file with spaces.txt',
  '  leading and trailing spaces  ',
  'naïve résumé ✓.txt',
  '日本語のファイル名.txt',
  'emoji 📦 archive.tar.gz',
  '..hidden..',
  '...',
  '.. ..',
  'trailing dot.',
  'CON',
  'NUL.txt',
  'aux.log',
  'com1.dat',
  'LPT9.cfg',
  'what?.txt',
  'a:b*c<d>e|f"g.txt',
  'back\\slash.txt',
  'tab\there.txt',
  'line\nbreak.txt',
  'bell\u0007.txt',
  'rtl\u202Eexe.txt',
  'x'.repeat(251) + '.txt',
  'é'.repeat(125) + '.txt',
]
/** A Windows guest cannot hold the names above that Windows forbids. */
const HOSTILE_NAMES_WINDOWS = ['file with spaces.txt', 'naïve résumé ✓.txt', '日本語のファイル名.txt', '..hidden..', 'x'.repeat(251) + '.txt']
const BINARY = /\.(bin|img|iso|sys|exe|dll|gz|dat|xlsx|zip|vmdk)$/i

const WIN_SYSTEM32 = [
  'cmd.exe', 'notepad.exe', 'ipconfig.exe', 'whoami.exe', 'tasklist.exe', 'taskkill.exe', 'robocopy.exe', 'net.exe',
  'netstat.exe', 'ping.exe', 'hostname.exe', 'shutdown.exe', 'reg.exe', 'sc.exe', 'timeout.exe', 'where.exe',
  'kernel32.dll', 'ntdll.dll', 'user32.dll', 'advapi32.dll',
]

/** Builds the guest's tree: same VM → same names, sizes and times. */
export function buildTree(vm: Vm): FileTree {
  const rand = random(vm.index * 104729 + 7)
  const windows = vm.os.family === 'WINDOWS'
  const key = (name: string): string => (windows ? name.toLowerCase() : name)
  const at = (): number => vm.bootedAt - Math.floor(rand() * 90 * 86_400_000)
  // Content seeds come from their own counter, so adding files does not move the other draws.
  let files = 0
  const dir = (name: string, extra: Partial<FileNode> = {}): FileNode => ({ name, type: 'DIRECTORY', size: 4096, modified: at(), children: new Map(), ...extra })
  const file = (name: string, size = Math.floor(rand() * 200_000) + 64, extra: Partial<FileNode> = {}): FileNode => {
    const kind = BINARY.test(name) || size > 16 * MiB ? 'binary' : 'text'
    const seed = (Math.imul(vm.index + 1, 2654435761) + ++files * 40503) >>> 0
    return { name, type: 'FILE', size, modified: at(), content: { kind, seed, size, label: contentLabel(name) }, ...extra }
  }
  /** Big files, odd names and a directory too long for one page, under `home`. */
  const transferTestbed = (home: FileNode, names: readonly string[]): void => {
    add(home, file('disk-4GiB.img', 4 * GiB + 123), file('big-1GiB.bin', GiB), file('sample-16MiB.bin', 16 * MiB), file('small.bin', 1000))
    add(add(home, dir('odd names')), ...names.map((n) => file(n, 4096)))
    add(add(home, dir('many')), ...Array.from({ length: 5000 }, (_, i) => file(`file-${String(i + 1).padStart(5, '0')}.dat`, 512 + i)))
  }
  const add = (parent: FileNode, ...nodes: FileNode[]): FileNode => {
    for (const n of nodes) parent.children?.set(key(n.name), n)
    return nodes[0] as FileNode
  }
  const root = dir('')
  if (windows) {
    const c = add(root, dir('C:'))
    const win = add(c, dir('Windows'))
    add(add(win, dir('System32')), ...WIN_SYSTEM32.map((n) => file(n)))
    add(win, dir('Temp'), file('explorer.exe', 4_912_640), file('win.ini', 92))
    add(add(add(win, dir('Logs')), dir('CBS')), file('CBS.log', 1_804_112))
    add(add(add(c, dir('Program Files')), dir('VMware')), dir('VMware Tools'))
    const users = add(c, dir('Users'))
    const admin = add(users, dir('Administrator'))
    add(add(admin, dir('Desktop')), file('report.xlsx', 48_211), file('notes.txt', 1_024))
    add(admin, dir('Documents'))
    transferTestbed(add(admin, dir('Downloads')), HOSTILE_NAMES_WINDOWS)
    add(users, dir('Public'))
    add(c, dir('Temp'), file('pagefile.sys', 4_294_967_296, { hidden: true }))
    const w3 = add(add(add(add(c, dir('inetpub')), dir('logs')), dir('LogFiles')), dir('W3SVC1'))
    for (let d = 0; d < 240; d++) add(w3, file(`u_ex${dateStamp(vm.bootedAt, d)}.log`))
  } else {
    add(root, { name: 'bin', type: 'SYMLINK', size: 7, modified: at(), target: 'usr/bin' })
    const etc = add(root, dir('etc'))
    add(etc, file('hostname', vm.name.length + 1), file('hosts', 221), file('os-release', 386), file('passwd', 1_874), file('group', 790), file('fstab', 512), file('resolv.conf', 720), file('shadow', 1_024, { adminOnly: true }))
    add(add(etc, dir('ssh')), file('sshd_config', 3_282))
    const home = add(root, dir('home'))
    const demo = add(home, dir('demo'))
    add(demo, file('.bashrc', 3_771), file('.profile', 807), file('notes.txt', 2_048))
    add(add(demo, dir('reports')), ...Array.from({ length: 5 }, (_, i) => file(`report-${String(i + 1).padStart(3, '0')}.csv`)))
    transferTestbed(add(demo, dir('Downloads')), HOSTILE_NAMES)
    add(add(root, dir('root', { adminOnly: true })), file('.bashrc', 3_106))
    add(root, dir('tmp'))
    add(add(add(root, dir('usr')), dir('bin')), ...COREUTILS.map((n) => file(n)))
    const log = add(add(root, dir('var')), dir('log'))
    add(log, file('syslog'), file('auth.log'), file('kern.log'), file('dpkg.log'), file('syslog.1'))
    for (let i = 2; i <= 7; i++) add(log, file(`syslog.${i}.gz`))
    add(add(log, dir('apt')), file('history.log'), file('term.log'))
    const app = add(log, dir('app'))
    for (let d = 0; d < 240; d++) add(app, file(`app-${dateStamp(vm.bootedAt, d)}.log`))
  }
  return { windows, root }
}

function dateStamp(base: number, daysBack: number): string {
  return new Date(base - daysBack * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')
}

/** The guest's tree, built on first use. */
export function fileTree(state: LabState, vm: Vm): FileTree {
  return state.guests.cached(state.guests.files, vm, () => buildTree(vm))
}

/**
 * The node at a guest-native path (`/var/log`, `C:\\Temp`), or undefined. Symbolic links on the
 * way are followed; the last one only when `followLast` (file info reports the link itself).
 */
export function resolve(tree: FileTree, guestPath: string, followLast = false): FileNode | undefined {
  let parts = tree.windows ? guestPath.split(/[\\/]+/) : guestPath.split('/')
  if (!tree.windows && parts[0] !== '') return undefined
  if (tree.windows && !/^[A-Za-z]:$/.test(parts[0] ?? '')) return undefined
  parts = (tree.windows ? parts : parts.slice(1)).filter((p) => p !== '' && p !== '.')
  for (let hops = 0; hops < 8; hops++) {
    let node: FileNode | undefined = tree.root
    let relinked = false
    for (let i = 0; i < parts.length; i++) {
      node = node?.children?.get(tree.windows ? (parts[i] as string).toLowerCase() : (parts[i] as string))
      if (!node) return undefined
      const last = i === parts.length - 1
      if (node.type === 'SYMLINK' && node.target !== undefined && (!last || followLast)) {
        const target = node.target.split(/[\\/]+/).filter(Boolean)
        const base = node.target.startsWith('/') ? [] : parts.slice(0, i)
        parts = [...base, ...target, ...parts.slice(i + 1)]
        relinked = true
        break
      }
    }
    if (!relinked) return node
  }
  return undefined
}

/** Whether a program path exists in the guest (process create checks it). */
export function pathExists(tree: FileTree, guestPath: string): boolean {
  return resolve(tree, guestPath, true)?.type === 'FILE'
}

function find(state: LabState, vm: Vm, user: GuestUser, guestPath: string, follow: boolean): FileNode {
  const node = resolve(fileTree(state, vm), guestPath, follow)
  if (!node) {
    throw new VapiError('NOT_FOUND', [message('com.vmware.api.vcenter.vm.guest.filesystem.file_not_found', `File '${guestPath}' was not found.`, guestPath)])
  }
  if (node.adminOnly && !user.admin) {
    throw new VapiError('UNAUTHORIZED', [message('com.vmware.api.vcenter.vm.guest.filesystem.access_denied', `Access to '${guestPath}' is denied.`, guestPath)])
  }
  return node
}

const ListBody = z.object({
  path: z.string().min(1),
  iteration: z.object({ size: z.number().int().min(0).optional(), index: z.number().int().min(0).optional() }).optional(),
  filter: z.object({ match_pattern: z.string().optional() }).optional(),
})

/** Default page size when `iteration.size` is unset (SPEC 7.0.3). */
export const DEFAULT_PAGE_SIZE = 50

function listFiles(state: LabState, vm: Vm, user: GuestUser, body: unknown): Reply {
  const parsed = ListBody.safeParse(body)
  if (!parsed.success) throw invalidArgument("The request body must have a string 'path'.", 'path')
  const { path: guestPath, iteration, filter } = parsed.data
  const node = find(state, vm, user, guestPath, true)
  let pattern: RegExp | undefined
  try {
    pattern = filter?.match_pattern !== undefined ? new RegExp(filter.match_pattern) : undefined
  } catch {
    throw invalidArgument(`Invalid match_pattern '${filter?.match_pattern ?? ''}'.`, 'match_pattern')
  }
  const all = node.type === 'DIRECTORY' ? [...(node.children?.values() ?? [])] : [node]
  const matching = pattern ? all.filter((n) => pattern.test(n.name)) : all
  const index = iteration?.index ?? 0
  const size = iteration?.size ?? DEFAULT_PAGE_SIZE
  const page = matching.slice(index, index + size)
  const out: Record<string, unknown> = {
    files: page.map((n) => ({ filename: n.name, type: n.type, size: n.size })),
    total: matching.length,
    status: index + page.length >= matching.length ? 'END_OF_DATA' : 'READY',
  }
  if (page.length > 0) {
    out.start_index = index
    out.end_index = index + page.length - 1
  }
  return ok(out)
}

function fileInfo(state: LabState, vm: Vm, user: GuestUser, guestPath: string): Reply {
  const node = find(state, vm, user, guestPath, false)
  const windows = vm.os.family === 'WINDOWS'
  const attributes: Record<string, unknown> = {
    last_modified: new Date(node.modified).toISOString(),
    last_accessed: new Date(Math.max(node.modified, vm.bootedAt)).toISOString(),
    filesystem_family: windows ? 'WINDOWS' : 'POSIX',
  }
  if (node.target !== undefined) attributes.symlink_target = node.target
  if (windows) attributes.win_attributes = { hidden: node.hidden ?? false, read_only: false, created: new Date(node.modified).toISOString() }
  else attributes.posix_attributes = { owner: 0, group: 0, permissions: node.type === 'DIRECTORY' ? '755' : node.adminOnly ? '600' : '644' }
  return ok({ type: node.type, size: node.size, attributes })
}

/** POST …/guest/filesystem/files?action=list and …/files/{path}?action=get. */
export function guestFiles(state: LabState, call: Call, vm: Vm, encodedPath: string | undefined): Reply {
  const action = actionOf(call)
  const user = authorizeGuest(state, vm, call.body)
  if (encodedPath === undefined && action === 'list') return listFiles(state, vm, user, call.body)
  if (encodedPath !== undefined && action === 'get') return fileInfo(state, vm, user, encodedPath)
  throw new VapiError('UNSUPPORTED', [
    message('com.vmware.api.vcenter.vm.guest.filesystem.operation_not_supported', `The lab does not implement files action '${action ?? ''}' yet.`),
  ])
}

const TransferBody = z.object({
  spec: z.object({
    path: z.string().min(1),
    attributes: z.unknown().optional(),
  }),
})

/**
 * POST …/guest/filesystem?action=create (reference §6.5, "Read this first" 2): a download URL for
 * one file, 201 with the URL as a bare JSON string. Uploads (`spec.attributes`) are not in the lab.
 */
export function guestTransfer(state: LabState, call: Call, vm: Vm): Reply {
  const action = actionOf(call)
  if (action !== 'create') {
    throw new VapiError('UNSUPPORTED', [
      message('com.vmware.api.vcenter.vm.guest.filesystem.operation_not_supported', `The lab does not implement filesystem action '${action ?? ''}'.`),
    ])
  }
  const user = authorizeGuest(state, vm, call.body)
  const parsed = TransferBody.safeParse(call.body)
  if (!parsed.success) throw invalidArgument("The request body must have 'spec' with a string 'path'.", 'spec')
  const { path: guestPath, attributes } = parsed.data.spec
  if (attributes !== undefined) {
    throw new VapiError('UNSUPPORTED', [
      message('com.vmware.api.vcenter.vm.guest.filesystem.operation_not_supported', 'The lab serves downloads only (spec.attributes asks for an upload).'),
    ])
  }
  const node = find(state, vm, user, guestPath, false)
  if (node.type !== 'FILE' || !node.content) {
    throw invalidArgument(`'${guestPath}' is not a file (a directory or a symbolic link cannot be transferred).`, guestPath)
  }
  return created(transfersOf(state).issue(vm, guestPath, node.content))
}
