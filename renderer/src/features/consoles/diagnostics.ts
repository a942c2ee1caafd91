// "Copy diagnostics": the connection doctor's finding and the steps with their timings, as text
// for a ticket to an administrator. Everything goes through scrubSecrets (no ticket, token or
// password), and the relay's own status never carries them in the first place.
import { scrubSecrets } from '../../../../contract/console-doctor'
import type { ConsoleDiagnosis, ConsoleTiming } from '../../../../contract/consoles'

export interface DoctorReport {
  diagnosis: ConsoleDiagnosis
  timings: readonly ConsoleTiming[]
}

/** The text "Copy diagnostics" puts on the clipboard. */
export function diagnosticsText(report: DoctorReport, context: { vm: string; provider: string; attempt: number; at: Date }): string {
  const { diagnosis, timings } = report
  const lines = [
    'Porthole console diagnostics',
    `VM: ${context.vm} (${context.provider})`,
    `When: ${context.at.toISOString()}`,
    `Failed step: ${diagnosis.step} (${diagnosis.cause}): ${diagnosis.title}`,
    `What to do: ${diagnosis.advice}`,
    ...(diagnosis.detail ? [`Detail: ${diagnosis.detail}`] : []),
    'Steps:',
    ...timings.map((t) => `  ${t.step.padEnd(9)} ${t.ok ? 'ok    ' : 'FAILED'} ${Math.round(t.ms)} ms`),
    `Reconnect attempts: ${context.attempt}`,
  ]
  return scrubSecrets(lines.join('\n'))
}
