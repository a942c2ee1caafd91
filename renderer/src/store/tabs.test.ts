import { beforeEach, describe, expect, it } from 'vitest'
import { HOME_TAB, activeTab, useTabs } from './tabs'

const tabs = () => useTabs.getState()
const ids = () => tabs().tabs.map((t) => t.id)

describe('tabs store', () => {
  beforeEach(() => useTabs.setState({ tabs: [HOME_TAB], activeId: HOME_TAB.id }))

  it('starts with a pinned Home tab, active', () => {
    expect(ids()).toEqual(['home'])
    expect(activeTab(tabs())).toMatchObject({ kind: 'home', title: 'Home', closable: false })
  })

  it('opens a tab at the end and activates it; opening it again activates the same one', () => {
    expect(tabs().open({ kind: 'shortcuts', title: 'Keyboard shortcuts', params: {} })).toBe('shortcuts')
    expect(ids()).toEqual(['home', 'shortcuts'])
    expect(tabs().activeId).toBe('shortcuts')
    tabs().activate('home')
    tabs().open({ kind: 'shortcuts', title: 'Shortcuts', params: {} })
    expect(ids()).toEqual(['home', 'shortcuts'])
    expect(tabs().activeId).toBe('shortcuts')
    expect(activeTab(tabs()).title).toBe('Shortcuts')
  })

  it('never closes Home', () => {
    tabs().close('home')
    expect(ids()).toEqual(['home'])
  })

  it('closing the active tab activates its right neighbour, else its left one', () => {
    for (const id of ['a', 'b', 'c']) tabs().open({ kind: 'shortcuts', id, title: id, params: {} })
    tabs().activate('b')
    tabs().close('b')
    expect(ids()).toEqual(['home', 'a', 'c'])
    expect(tabs().activeId).toBe('c')
    tabs().close('c')
    expect(tabs().activeId).toBe('a')
  })

  it('closing an inactive tab keeps the active one', () => {
    for (const id of ['a', 'b']) tabs().open({ kind: 'shortcuts', id, title: id, params: {} })
    tabs().close('a')
    expect(tabs().activeId).toBe('b')
  })

  it('cycles both ways with wrap-around', () => {
    for (const id of ['a', 'b']) tabs().open({ kind: 'shortcuts', id, title: id, params: {} })
    expect(tabs().activeId).toBe('b')
    tabs().cycle(1)
    expect(tabs().activeId).toBe('home')
    tabs().cycle(-1)
    expect(tabs().activeId).toBe('b')
    tabs().cycle(-1)
    expect(tabs().activeId).toBe('a')
  })

  it('ignores unknown ids', () => {
    tabs().activate('nope')
    tabs().close('nope')
    expect(ids()).toEqual(['home'])
    expect(tabs().activeId).toBe('home')
  })
})
