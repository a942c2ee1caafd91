import { useId, useRef, useState } from 'react'
import { isPortholeError } from '../../../../contract/errors'
import { Dialog } from '../../components/Dialog'
import { parseEnvironment } from './environment'

export interface RunProgramSpec {
  path: string
  arguments?: string
  workingDirectory?: string
  environment?: Record<string, string>
}

/** "Run program…": the program, its arguments, where it runs and (optionally) its whole environment. */
export function RunProgramDialog({ windows, onRun, onClose }: { windows: boolean; onRun(spec: RunProgramSpec): Promise<void>; onClose(): void }) {
  const id = useId()
  const [path, setPath] = useState('')
  const [args, setArgs] = useState('')
  const [cwd, setCwd] = useState('')
  const [env, setEnv] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const pathRef = useRef<HTMLInputElement>(null)

  async function submit(): Promise<void> {
    if (busy) return
    const program = path.trim()
    if (!/^(\/|[A-Za-z]:[\\/])/.test(program)) return setError('Give the absolute path of the program in the guest.')
    const parsed = parseEnvironment(env)
    if ('error' in parsed) return setError(parsed.error)
    const spec: RunProgramSpec = { path: program }
    if (args.trim()) spec.arguments = args.trim()
    if (cwd.trim()) spec.workingDirectory = cwd.trim()
    if (parsed.environment) spec.environment = parsed.environment
    setBusy(true)
    setError(undefined)
    try {
      await onRun(spec)
    } catch (err) {
      setBusy(false)
      setError(isPortholeError(err) ? err.message : String(err))
    }
  }

  const field = (key: string, label: string, value: string, onChange: (v: string) => void, placeholder: string, optional = true) => (
    <div className="field">
      <label className="field-label" htmlFor={`${id}-${key}`}>
        {label}
        {optional && <span className="field-optional"> (optional)</span>}
      </label>
      <input
        ref={key === 'path' ? pathRef : undefined}
        id={`${id}-${key}`}
        className="input input-mono"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
      />
    </div>
  )

  return (
    <Dialog
      title="Run program"
      description="Starts a program in the guest as the guest user. Its output is not captured: redirect it to a file."
      onClose={onClose}
      onSubmit={() => void submit()}
      initialFocus={pathRef}
      footer={
        <>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? 'Starting…' : 'Run'}
          </button>
        </>
      }
    >
      {field('path', 'Program', path, setPath, windows ? 'C:\\Windows\\System32\\cmd.exe' : '/usr/bin/sleep', false)}
      {field('args', 'Arguments', args, setArgs, windows ? '/c dir C:\\ > C:\\Temp\\dir.txt' : '5')}
      {field('cwd', 'Working directory', cwd, setCwd, windows ? 'C:\\Temp' : '/tmp')}
      <div className="field">
        <label className="field-label" htmlFor={`${id}-env`}>
          Environment variables<span className="field-optional"> (optional)</span>
        </label>
        <textarea
          id={`${id}-env`}
          className="input input-mono processes-env"
          value={env}
          onChange={(e) => setEnv(e.target.value)}
          rows={3}
          placeholder="NAME=value, one a line"
          spellCheck={false}
          aria-describedby={`${id}-env-help`}
        />
        <p className="field-help" id={`${id}-env-help`}>
          When given, they replace the guest&apos;s default environment.
        </p>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
