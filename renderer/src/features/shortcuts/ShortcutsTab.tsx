import { Fragment } from 'react'
import { chordLabel } from '../../app/chord'
import { shortcuts } from '../../app/shortcuts'
import type { TabViewProps } from '../../app/tab-views'
import './shortcuts.css'

/** Every shortcut the app knows, read from the same list the key handler uses. */
export function ShortcutsTab(_props: TabViewProps<'shortcuts'>) {
  const global = shortcuts.filter((s) => s.run)
  const local = shortcuts.filter((s) => !s.run)
  return (
    <div className="page">
      <h1>Keyboard shortcuts</h1>
      <ShortcutTable caption="Anywhere in the window" rows={global} />
      <ShortcutTable caption="Where the focus is" rows={local} />
    </div>
  )
}

function ShortcutTable({ caption, rows }: { caption: string; rows: typeof shortcuts }) {
  return (
    <table className="shortcut-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Keys</th>
          {rows.some((r) => r.where) && <th scope="col">Where</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.id}>
            <td>{s.description}</td>
            <td>
              {s.chords.map((c, i) => (
                <Fragment key={i}>
                  {i > 0 && <span className="shortcut-or"> or </span>}
                  <kbd>{chordLabel(c)}</kbd>
                </Fragment>
              ))}
            </td>
            {s.where && <td>{s.where}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
