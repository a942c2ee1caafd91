// Child process of vault-crash.test.ts: opens the vault and saves generation after
// generation until it is killed. Every line is written synchronously before the step it
// announces, so the parent knows which generations had started and which had finished.
import fs from 'node:fs'
import { z } from 'zod'
import { logFromSink } from '../../main/services/log/log'
import { createVault } from '../../main/services/vault/vault-service'

const [dir, password] = process.argv.slice(2)
if (!dir || !password) throw new Error('usage: vault-crash-child <dir> <password>')

const say = (line: string): void => void fs.writeSync(1, line + '\n')
// Some bulk, so that a kill can land in the middle of writing the file.
const payload = 'x'.repeat(64 * 1024)
const Generation = z.strictObject({ n: z.number().int(), payload: z.string() })

async function main(): Promise<void> {
  const vault = createVault({ dir: dir!, log: logFromSink(() => undefined), kdf: { m: 8, t: 1, p: 1 } })
  if ((await vault.status()).state === 'absent') await vault.create(password!)
  else await vault.unlock(password!)
  let gen = vault.read('generation', Generation)?.n ?? 0
  say(`open ${gen}`)
  for (;;) {
    gen++
    say(`start ${gen}`)
    await vault.write('generation', { n: gen, payload })
    say(`done ${gen}`)
  }
}

main().catch((err: unknown) => {
  say(`error ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
