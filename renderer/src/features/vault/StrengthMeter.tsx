import { estimateStrength } from './password-strength'

/** Four bars and a word under a new password; the first warning says what would help. */
export function StrengthMeter({ password, id }: { password: string; id: string }) {
  const strength = estimateStrength(password)
  const empty = password.length === 0
  return (
    <div className="strength" id={id} data-score={empty ? 'none' : strength.score}>
      <div className="strength-bars" aria-hidden="true">
        {[1, 2, 3, 4].map((i) => (
          <span key={i} className={!empty && strength.score >= i ? 'strength-bar strength-bar-on' : 'strength-bar'} />
        ))}
      </div>
      <p className="strength-text">
        {empty ? (
          'Strength: —'
        ) : (
          <>
            Strength: <strong>{strength.label}</strong>
            {strength.warnings[0] && <span className="strength-hint"> · {strength.warnings[0]}</span>}
          </>
        )}
      </p>
    </div>
  )
}
