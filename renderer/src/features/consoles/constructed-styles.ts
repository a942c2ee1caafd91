// xterm.js writes its per-terminal CSS (theme colours, cell sizes) into <style> elements it
// creates at run time. The renderer's CSP (style-src 'self') blocks such inline styles, and we
// keep the CSP. Constructed stylesheets (`new CSSStyleSheet()` adopted by the document) are not
// inline styles and are allowed, so `document.createElement('style')` hands xterm an inert
// stand-in element whose textContent feeds a constructed sheet, adopted while the element lives.

let installed = false

/** Installs the stand-in once (the first serial console does it). */
export function installConstructedStyles(doc: Document = document): void {
  if (installed) return
  installed = true
  const create = doc.createElement.bind(doc) as (tag: string, options?: ElementCreationOptions) => HTMLElement
  const patched = (tag: string, options?: ElementCreationOptions): HTMLElement => {
    if (tag.toLowerCase() !== 'style') return create(tag, options)
    const sheet = new CSSStyleSheet()
    const element = create('porthole-style')
    element.hidden = true
    let text = ''
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet]
    Object.defineProperty(element, 'textContent', {
      get: () => text,
      set: (value: unknown) => {
        text = value == null ? '' : String(value)
        sheet.replaceSync(text)
      },
    })
    Object.defineProperty(element, 'sheet', { get: () => sheet })
    const remove = element.remove.bind(element)
    element.remove = () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet)
      remove()
    }
    return element
  }
  doc.createElement = patched as typeof doc.createElement
}
