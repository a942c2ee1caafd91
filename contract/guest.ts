// Guest operations (DESIGN.md "Guest operations (vSphere)"): the credentials of a VM's guest OS,
// asked for per VM and optionally remembered in the vault, and the processes inside the guest.
// Credentials go one way only: the renderer sends them, and learns back whether they are known
// and remembered and for which user name (not a secret: the dialog shows it), never the secret.
import { z } from 'zod'
import { call } from './define'
import { VmRef } from './inventory'

/** Longest guest password or SAML token main accepts (a SAML assertion is a few KiB of XML). */
export const MAX_GUEST_SECRET_LENGTH = 65_536

/** 'password': user name and password; 'saml': a SAML bearer token from vCenter SSO (advanced). */
export const GuestCredentialType = z.enum(['password', 'saml'])
export type GuestCredentialType = z.infer<typeof GuestCredentialType>

/** What the renderer may know about a VM's guest credentials. */
export const GuestCredentialStatus = z.strictObject({
  /** Main holds credentials for this VM (this session or remembered). */
  known: z.boolean(),
  /** They are saved in the vault (they were remembered and have worked once). */
  remembered: z.boolean(),
  type: GuestCredentialType.optional(),
  /** The guest account name; may be empty for a SAML token (the guest maps it). */
  user: z.string().optional(),
  /** Where the user can find the credentials, when main knows (the demo lab's guests). */
  hint: z.string().optional(),
})
export type GuestCredentialStatus = z.infer<typeof GuestCredentialStatus>

/** The dialog's answer. The secret is checked by the next guest call, and saved only once that call worked. */
export const GuestCredentialInput = z.discriminatedUnion('type', [
  z.strictObject({
    vm: VmRef,
    type: z.literal('password'),
    user: z.string().min(1).max(256),
    password: z.string().max(MAX_GUEST_SECRET_LENGTH),
    remember: z.boolean(),
  }),
  z.strictObject({
    vm: VmRef,
    type: z.literal('saml'),
    /** Optional guest account the token maps to. */
    user: z.string().max(256).optional(),
    samlToken: z.string().min(1).max(MAX_GUEST_SECRET_LENGTH),
    remember: z.boolean(),
  }),
])
export type GuestCredentialInput = z.infer<typeof GuestCredentialInput>

/**
 * Why a guest call answered GUEST_AUTH_FAILED, in the error's `detail.reason`: 'missing' (none
 * given yet for this VM: ask), 'rejected' (the guest refused them: say so and ask again).
 */
export const GuestAuthReason = z.enum(['missing', 'rejected'])
export type GuestAuthReason = z.infer<typeof GuestAuthReason>

/** Largest pid any guest hands out fits here (vSphere's int64, realistically far below 2^53). */
const Pid = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/**
 * One process as it crosses the wire, compact (5,000 rows a refresh):
 * `[pid, name, owner, command, started, ours, finished, exitCode]`. `started`/`finished` are
 * ISO 8601 ('' when unknown or still running); `ours` is 1 for a process started from Porthole
 * (only those get `finished` and `exitCode`, for 5 minutes after they end), else 0.
 */
export const ProcessRow = z.tuple([
  Pid,
  z.string().max(4096),
  z.string().max(1024),
  z.string().max(65_536),
  z.string().max(64),
  z.union([z.literal(0), z.literal(1)]),
  z.string().max(64),
  z.number().int().nullable(),
])
export type ProcessRow = z.infer<typeof ProcessRow>

/** Whether a value is a ProcessRow: the tuple schema's rules, checked by hand (see ProcessRows). */
export function isProcessRow(v: unknown): v is ProcessRow {
  return (
    Array.isArray(v) &&
    v.length === 8 &&
    Number.isSafeInteger(v[0]) &&
    (v[0] as number) >= 0 &&
    typeof v[1] === 'string' &&
    v[1].length <= 4096 &&
    typeof v[2] === 'string' &&
    v[2].length <= 1024 &&
    typeof v[3] === 'string' &&
    v[3].length <= 65_536 &&
    typeof v[4] === 'string' &&
    v[4].length <= 64 &&
    (v[5] === 0 || v[5] === 1) &&
    typeof v[6] === 'string' &&
    v[6].length <= 64 &&
    (v[7] === null || Number.isSafeInteger(v[7]))
  )
}

/** One process, by name (the answer of get). */
export const GuestProcessInfo = z.strictObject({
  pid: Pid,
  name: z.string(),
  owner: z.string(),
  command: z.string(),
  started: z.string(),
  finished: z.string().optional(),
  exitCode: z.number().int().optional(),
  /** Started from Porthole (this session). */
  ours: z.boolean(),
})
export type GuestProcessInfo = z.infer<typeof GuestProcessInfo>

/** Guests with more processes than this are cut (and say so): nothing real comes close. */
export const MAX_PROCESS_ROWS = 50_000

/**
 * The rows of a list, checked with `isProcessRow` instead of `z.array(ProcessRow)`: the same rules
 * (a property test holds them equal), but zod's tuple parse copies every row, 7 ms and a GC pause
 * of up to 100 ms per 5,000-row refresh, which is most of a refresh's budget.
 */
export const ProcessRows = z.custom<ProcessRow[]>(
  (v) => Array.isArray(v) && v.length <= MAX_PROCESS_ROWS && v.every(isProcessRow),
  'Process rows must be [pid, name, owner, command, started, ours, finished, exitCode] tuples.',
)

const EnvName = z.string().min(1).max(256).regex(/^[^=\0]+$/, 'An environment variable name has no "=" in it.')

/** What "Run program…" sends: the program, its arguments as one string, and where and how it runs. */
export const RunProgramSpec = z.strictObject({
  vm: VmRef,
  /** Absolute path of the program in the guest (`/usr/bin/sleep`, `C:\\Windows\\System32\\cmd.exe`). */
  path: z.string().min(1).max(4096),
  /** One string; the guest splits it (Linux runs it through /bin/bash). */
  arguments: z.string().max(32_768).optional(),
  workingDirectory: z.string().min(1).max(4096).optional(),
  /** When given, replaces the guest's default environment (vSphere does not merge). */
  environment: z.record(EnvName, z.string().max(32_768)).refine((e) => Object.keys(e).length <= 256, 'At most 256 variables.').optional(),
})
export type RunProgramSpec = z.infer<typeof RunProgramSpec>

const ByVm = z.strictObject({ vm: VmRef })
const ByPid = z.strictObject({ vm: VmRef, pid: Pid })

export const guestCalls = {
  'guest.credentials.status': call('Whether main holds guest credentials for a VM, whether they are remembered, and for which user.', ByVm, GuestCredentialStatus),
  'guest.credentials.set': call(
    'Give a VM\'s guest credentials (from the dialog). Kept for this session; with `remember`, saved in the vault once a guest call has worked with them. VAULT_LOCKED when locked.',
    GuestCredentialInput,
    GuestCredentialStatus,
  ),
  'guest.credentials.forget': call('Forget a VM\'s guest credentials, in this session and in the vault.', ByVm, GuestCredentialStatus),
  'guest.processes.list': call(
    'Every process in the guest; with `since` (the listId of an earlier answer) only what changed since then, when main still has that list. GUEST_AUTH_FAILED (detail.reason missing|rejected), TOOLS_NOT_RUNNING, VM_STATE, UNSUPPORTED as the guest answers.',
    z.strictObject({ vm: VmRef, since: z.string().max(64).optional() }),
    z.strictObject({
      /** Names this list, for the next call's `since`. */
      listId: z.string(),
      /** true: `rows` is every process. false: `rows` are the processes added or changed since `since`, `removed` the pids gone. */
      full: z.boolean(),
      rows: ProcessRows,
      removed: z.array(Pid).max(MAX_PROCESS_ROWS),
      /** How many processes the guest listed (after the cut). */
      total: z.number().int().nonnegative(),
      /** ISO 8601, main's clock when the answer came. */
      listedAt: z.string(),
      /** The guest account the list was taken as. */
      user: z.string(),
      /** Rows were cut at MAX_PROCESS_ROWS. */
      truncated: z.boolean(),
    }),
  ),
  'guest.processes.get': call('One process; for those started from Porthole also when and how it ended (for 5 minutes after). NOT_FOUND when gone.', ByPid, GuestProcessInfo),
  'guest.processes.create': call(
    'Start a program in the guest; resolves with its pid at once (it runs on). NOT_FOUND when the program or working directory does not exist.',
    RunProgramSpec,
    z.strictObject({ pid: Pid }),
  ),
  'guest.processes.kill': call('Terminate a process (TERM then KILL on POSIX). PERMISSION_DENIED when the guest user may not.', ByPid, z.strictObject({ ok: z.literal(true) })),
}
