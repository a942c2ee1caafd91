import type { ReactNode } from 'react'
import { sidebarSections } from '../app/sidebar-sections'
import { Wordmark } from './Wordmark'

export const SIDEBAR_ID = 'sidebar'

/** The left column: the wordmark, then each registered section under its heading; `children` is its resize edge. */
export function Sidebar({ children }: { children?: ReactNode }) {
  return (
    <nav className="sidebar" id={SIDEBAR_ID} aria-label="Sidebar">
      <header className="sidebar-header">
        <Wordmark />
      </header>
      <div className="sidebar-sections">
        {sidebarSections.map(({ id, title, component: Section, actions: Actions }) => (
          <section key={id} className="sidebar-section" aria-labelledby={`sidebar-${id}`}>
            <div className="sidebar-section-header">
              <h2 id={`sidebar-${id}`}>{title}</h2>
              {Actions && <Actions />}
            </div>
            <Section />
          </section>
        ))}
      </div>
      {children}
    </nav>
  )
}
