import { statusItems } from '../app/status-items'

/** The bottom bar: registered items, left group then right group. */
export function StatusBar() {
  return (
    <footer className="statusbar">
      <div className="statusbar-group">
        {statusItems
          .filter((i) => i.align === 'start')
          .map(({ id, component: Item }) => (
            <Item key={id} />
          ))}
      </div>
      <div className="statusbar-group">
        {statusItems
          .filter((i) => i.align === 'end')
          .map(({ id, component: Item }) => (
            <Item key={id} />
          ))}
      </div>
    </footer>
  )
}
