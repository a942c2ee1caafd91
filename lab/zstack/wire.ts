// How the ZStack lab writes answers (reference §0, §7): JSON with null fields left out, ZStack
// error objects on 503, plain-text bodies for errors raised by the HTTP layer itself, and the
// `schema` map the Java SDK needs.
import type { ServerResponse } from 'node:http'

/** One ZStack ErrorCode (`conf/errorCodes/*.xml`); `cause` nests. */
export interface ErrorBody {
  code: string
  description: string
  details?: string
  elaboration?: string
  opaque?: Record<string, unknown>
  cause?: ErrorBody
}

/** An API that ran and failed: 503 with `{"error": …}` (sync reply or finished job). */
export class ZstackError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.details ?? body.description)
  }
}

/** An error of the HTTP layer (bad header, unknown path, wrong verb): plain text with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(text)
  }
}

/** Descriptions as `conf/errorCodes/{sys,identity,vm}.xml` have them. */
export const DESCRIPTIONS = {
  'SYS.1000': 'An internal error happened in system',
  'SYS.1001': 'A message or a operation timeout',
  'SYS.1003': 'A resource can not be found',
  'SYS.1006': 'An operation failed',
  'SYS.1007': 'One or more API argument is invalid',
  'SYS.1010': 'Management server is not ready to serve',
  'SYS.1012': 'The management node is unavailable',
  'ID.1000': 'Unable to authenticate a user',
  'ID.1001': 'The session is invalid, either wrong session id or the session has been expired',
  'ID.1002': "The user doesn't have permission to perform the operation",
  'ID.1005': 'The user has to change initial password',
  'ID.1006': 'Max number of active sessions exceeded',
  'VM.1001': 'Unable to start a vm',
  'VM.1002': 'Unable to stop a vm',
  'VM.1003': 'Unable to reboot a vm',
  'VM.1010': 'VM is not in state that allows required operation',
} as const
export type KnownCode = keyof typeof DESCRIPTIONS

/** An error body for a known code with its fixed description. */
export function err(code: KnownCode, details: string, cause?: ErrorBody): ErrorBody {
  return { code, description: DESCRIPTIONS[code], details, ...(cause ? { cause } : {}) }
}

export function zerror(code: KnownCode, details: string, cause?: ErrorBody): ZstackError {
  return new ZstackError(err(code, details, cause))
}

/** Gson without serializeNulls: null (and undefined) object fields are left out. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v))
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(toJson(value), 'utf8')
  // ZStack's servlet sets no JSON content type explicitly (reference §0); clients parse by status.
  res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': body.length })
  res.end(body)
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8')
  res.writeHead(status, { 'Content-Type': 'text/plain;charset=utf-8', 'Content-Length': body.length })
  res.end(body)
}

export function sendError(res: ServerResponse, e: ZstackError): void {
  sendJson(res, 503, { error: e.body })
}

/** Java class of each kind of object the lab returns, for `schema` (JsonSchemaBuilder). */
export const CLASSES = {
  vm: 'org.zstack.header.vm.VmInstanceInventory',
  nic: 'org.zstack.header.vm.VmNicInventory',
  zone: 'org.zstack.header.zone.ZoneInventory',
  cluster: 'org.zstack.header.cluster.ClusterInventory',
  host: 'org.zstack.kvm.KVMHostInventory',
  session: 'org.zstack.header.identity.SessionInventory',
  console: 'org.zstack.header.console.ConsoleInventory',
} as const
export type ObjectKind = keyof typeof CLASSES

/**
 * The `schema` map JsonSchemaBuilder makes: every object's JSON path to its Java class, e.g.
 * `inventories[0].vmNics[0]` → VmNicInventory. It collects children before parents and then
 * reverses the whole list, so a parent comes before its children (last element first): the
 * Java SDK converts paths in that order, and a parent converted after its children would
 * replace them with untyped maps.
 */
export function schemaOf(key: string, kind: ObjectKind, value: unknown): Record<string, string> {
  const postOrder: [string, string][] = []
  const one = (path: string, obj: unknown): void => {
    if (kind === 'vm' && obj && typeof obj === 'object') {
      const nics = (obj as { vmNics?: unknown }).vmNics
      if (Array.isArray(nics)) nics.forEach((_, j) => postOrder.push([`${path}.vmNics[${j}]`, CLASSES.nic]))
    }
    postOrder.push([path, CLASSES[kind]])
  }
  if (Array.isArray(value)) value.forEach((v, i) => one(`${key}[${i}]`, v))
  else if (value !== undefined) one(key, value)
  return Object.fromEntries(postOrder.reverse())
}
