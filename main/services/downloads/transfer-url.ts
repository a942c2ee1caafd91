// A guest file transfer URL as the server gave it → the URL to GET (reference §6.6, "Read this
// first" 10; seed 002). vSphere may answer `https://*/guestFile?…`: `*` means "the host you
// called", so it becomes the host of the API URL, and its port too unless the URL names its own
// (the lab's ESXi listener sits beside vCenter on another port: `https://*:8444/…`). A URL that
// names a host (vCenter naming the VM's ESXi host) is used as it is. Only https: the transfer
// carries the guest's file and the token that authorises it.
import { PortholeError } from '../../../contract/errors'

const STAR = /^https:\/\/\*(:\d{1,5})?(?=[/?#]|$)/i

/** The URL to GET for a transfer URL answered by the API at `calledUrl`. */
export function resolveTransferUrl(raw: string, calledUrl: string): URL {
  const called = new URL(calledUrl)
  const star = STAR.exec(raw)
  let text = raw
  if (star) {
    const port = star[1] ?? (called.port === '' ? '' : `:${called.port}`)
    // `hostname` keeps IPv6 brackets, so it can go back into a URL as is.
    text = `https://${called.hostname}${port}${raw.slice(star[0].length)}`
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new PortholeError('PROVIDER_ERROR', 'vCenter returned a transfer URL that is not a URL.')
  }
  if (url.protocol !== 'https:') {
    throw new PortholeError('PROVIDER_ERROR', `vCenter returned a transfer URL with scheme ${url.protocol}; only https is used.`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new PortholeError('PROVIDER_ERROR', 'vCenter returned a transfer URL with credentials in it.')
  }
  return url
}
