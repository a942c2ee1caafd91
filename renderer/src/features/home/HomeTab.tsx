import type { TabViewProps } from '../../app/tab-views'
import { startDemo } from '../demo/start-demo'
import { addConnection } from '../profiles/profile-actions'
import { HomeEmptyState } from './HomeEmptyState'

/**
 * The pinned first tab. With no connections it is the welcome panel; the connections
 * feature will show an overview here once there are some, and pass the two actions
 * to HomeEmptyState when the demo lab and the vault land.
 */
export function HomeTab(_props: TabViewProps<'home'>) {
  return (
    <div className="home">
      <HomeEmptyState onAddConnection={addConnection} onTryDemo={() => void startDemo()} />
    </div>
  )
}
