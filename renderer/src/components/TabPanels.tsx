import { domId } from '../app/dom-id'
import { viewOf } from '../app/tab-views'
import { useTabs } from '../store/tabs'

/** One tabpanel per open tab. Inactive ones stay mounted but hidden, so a console keeps its session while you look elsewhere. */
export function TabPanels() {
  const tabs = useTabs((s) => s.tabs)
  const activeId = useTabs((s) => s.activeId)
  return (
    <div className="tabpanels">
      {tabs.map((tab) => {
        const View = viewOf(tab).component
        const active = tab.id === activeId
        return (
          <div
            key={tab.id}
            role="tabpanel"
            id={domId('panel', tab.id)}
            aria-labelledby={domId('tab', tab.id)}
            className="tabpanel"
            hidden={!active}
            tabIndex={0}
          >
            <View tab={tab} active={active} />
          </div>
        )
      })}
    </div>
  )
}
