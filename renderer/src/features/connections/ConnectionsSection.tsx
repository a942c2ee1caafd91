/**
 * The saved connections. Empty until the vault and profiles land; that feature replaces
 * the list's contents and gives the section its actions (app/sidebar-sections.tsx).
 */
export function ConnectionsSection() {
  return (
    <>
      <ul className="sidebar-list" aria-label="Connections" />
      <p className="sidebar-empty">No connections yet.</p>
    </>
  )
}
