import type { AnnotationEditor } from './editor.ts'
import { runCommand } from './commands.ts'
import { resolveShortcut } from './shortcuts.ts'
import { wheelZoomFactor } from './view-transform.ts'

/**
 * Wires DOM input on the canvas host (and keys on the window) to the editor: pointer gestures
 * go to the active tool unless they pan (Space held, or the middle button); the wheel zooms at
 * the cursor. Returns a function that removes every listener.
 */
export function bindInput(
  host: HTMLElement,
  editor: AnnotationEditor,
  onHelp: () => void,
): () => void {
  let spaceHeld = false
  let panning: { pointerId: number; x: number; y: number } | null = null

  const local = (e: { clientX: number; clientY: number }) => {
    const rect = host.getBoundingClientRect()
    return { x: e.clientX - rect.left, y: e.clientY - rect.top }
  }
  const mods = (e: PointerEvent) => ({ alt: e.altKey, shift: e.shiftKey })

  const onPointerDown = (e: PointerEvent) => {
    host.focus({ preventScroll: true })
    if (e.button === 1 || (e.button === 0 && spaceHeld)) {
      panning = { pointerId: e.pointerId, x: e.clientX, y: e.clientY }
      host.setPointerCapture(e.pointerId)
      host.classList.add('is-panning')
      e.preventDefault()
      return
    }
    if (e.button !== 0) return
    host.setPointerCapture(e.pointerId)
    editor.pointer('down', local(e), mods(e))
  }

  const onPointerMove = (e: PointerEvent) => {
    if (panning && panning.pointerId === e.pointerId) {
      editor.panBy(e.clientX - panning.x, e.clientY - panning.y)
      panning = { ...panning, x: e.clientX, y: e.clientY }
      return
    }
    editor.pointer('move', local(e), mods(e))
  }

  const onPointerUp = (e: PointerEvent) => {
    if (host.hasPointerCapture(e.pointerId)) host.releasePointerCapture(e.pointerId)
    if (panning && panning.pointerId === e.pointerId) {
      panning = null
      host.classList.remove('is-panning')
      return
    }
    if (e.button === 0) editor.pointer('up', local(e), mods(e))
  }

  const onWheel = (e: WheelEvent) => {
    e.preventDefault()
    editor.zoomAt(local(e), wheelZoomFactor(e.deltaY, e.deltaMode))
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (isTyping(e.target) || document.querySelector('[role="dialog"]')) return
    if (e.key === ' ') {
      spaceHeld = true
      host.classList.add('can-pan')
      e.preventDefault()
      return
    }
    const cmd = resolveShortcut({
      key: e.key,
      ctrl: e.ctrlKey,
      meta: e.metaKey,
      shift: e.shiftKey,
      alt: e.altKey,
    })
    if (!cmd) return
    if (cmd.type === 'help') {
      onHelp()
      e.preventDefault()
      return
    }
    // Tab must never move focus out of the canvas, even with no region to step to.
    if (runCommand(editor, cmd) || cmd.type === 'cycle') e.preventDefault()
  }

  const onKeyUp = (e: KeyboardEvent) => {
    if (e.key !== ' ') return
    spaceHeld = false
    host.classList.remove('can-pan')
  }

  const onLeave = () => editor.pointerLeft()
  const onContextMenu = (e: Event) => e.preventDefault()
  const resize = new ResizeObserver(() =>
    editor.resize({ width: host.clientWidth, height: host.clientHeight }),
  )

  host.addEventListener('pointerdown', onPointerDown)
  host.addEventListener('pointermove', onPointerMove)
  host.addEventListener('pointerup', onPointerUp)
  host.addEventListener('pointercancel', onPointerUp)
  host.addEventListener('pointerleave', onLeave)
  host.addEventListener('wheel', onWheel, { passive: false })
  host.addEventListener('contextmenu', onContextMenu)
  window.addEventListener('keydown', onKeyDown)
  window.addEventListener('keyup', onKeyUp)
  resize.observe(host)

  return () => {
    host.removeEventListener('pointerdown', onPointerDown)
    host.removeEventListener('pointermove', onPointerMove)
    host.removeEventListener('pointerup', onPointerUp)
    host.removeEventListener('pointercancel', onPointerUp)
    host.removeEventListener('pointerleave', onLeave)
    host.removeEventListener('wheel', onWheel)
    host.removeEventListener('contextmenu', onContextMenu)
    window.removeEventListener('keydown', onKeyDown)
    window.removeEventListener('keyup', onKeyUp)
    resize.disconnect()
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
