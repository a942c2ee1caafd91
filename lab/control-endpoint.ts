// The front of every lab's control endpoint (`/lab/…`): the bearer admin token the runner prints,
// then the body as JSON. Each lab's own routes see only authorized, parsed requests.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Serves one `/lab/…` request whose body was read in full. */
export type ControlHandler = (req: IncomingMessage, res: ServerResponse, pathname: string, body: string) => Promise<void>

/** The lab's routes; they answer every request, 404 included. */
export type ControlRoutes = (req: IncomingMessage, res: ServerResponse, pathname: string, json: unknown) => Promise<void> | void

/** Answers 401 without the admin token and 400 for a body that is not JSON (empty is `{}`); otherwise hands over to the routes. */
export function controlEndpoint(
  adminToken: string,
  send: (res: ServerResponse, status: number, body: unknown) => void,
  routes: ControlRoutes,
): ControlHandler {
  return async (req, res, pathname, body) => {
    if (req.headers.authorization !== `Bearer ${adminToken}`) {
      return send(res, 401, { error: 'The lab control endpoint needs the admin token printed by the runner.' })
    }
    let json: unknown
    try {
      json = body.trim() ? JSON.parse(body) : {}
    } catch {
      return send(res, 400, { error: 'Body is not JSON.' })
    }
    return routes(req, res, pathname, json)
  }
}
