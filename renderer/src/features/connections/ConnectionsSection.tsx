/**
 * The saved connections. Empty until the vault and profiles land; that feature replaces
 * the list's contents and gives the section its actions (app/sidebar-sections.tsx).
 */
export function ConnectionsSection() {
  return (
    <>
      <ul className="sidebar-list" aria-label="Connections" />
      <div className="sidebar-empty">
        <p className="sidebar-empty-title">No connections yet</p>
        <p>Add a vCenter, OpenStack, ZStack or VNC host and its VMs appear here.</p>
      </div>
    </>
  )
}
