import type { Awareness } from 'y-protocols/awareness'
import { throttle } from '../sync/throttle.ts'
import type { ToolName } from './tools/types.ts'
import { imageToScreen, type Point, type ViewTransform } from './view-transform.ts'

/** The awareness state every Concord client publishes (see the API contract). */
export type PresenceState = {
  user: { id: string; name: string; color: string }
  cursor: Point | null
  selection: string[]
  tool: ToolName
}

/** About 30 cursor updates a second: smooth enough to follow, light on the socket. */
const CURSOR_INTERVAL_MS = 33

export type RemotePeer = { clientId: number; state: PresenceState }

/**
 * Publishes this client's cursor, selection and tool, and shows colleagues' cursors as DOM
 * elements over the canvas (positioned from image coordinates through the current view).
 */
export class Presence {
  readonly layer = document.createElement('div')
  private peers: RemotePeer[] = []
  private readonly cursorElements = new Map<number, HTMLElement>()
  private readonly sendCursor = throttle((cursor: Point | null) => {
    this.awareness.setLocalStateField('cursor', cursor)
  }, CURSOR_INTERVAL_MS)

  constructor(
    private readonly awareness: Awareness,
    user: PresenceState['user'],
    tool: ToolName,
    private readonly onPeersChanged: () => void,
  ) {
    this.layer.className = 'remote-cursors'
    const initial: PresenceState = { user, cursor: null, selection: [], tool }
    awareness.setLocalState(initial)
    awareness.on('change', this.onChange)
  }

  setCursor(cursor: Point | null): void {
    this.sendCursor.call(cursor)
  }

  setSelection(selection: readonly string[]): void {
    this.awareness.setLocalStateField('selection', [...selection])
  }

  setTool(tool: ToolName): void {
    this.awareness.setLocalStateField('tool', tool)
  }

  get remotePeers(): readonly RemotePeer[] {
    return this.peers
  }

  /** Moves the cursor elements to where their image points are under the current view. */
  position(view: ViewTransform): void {
    for (const peer of this.peers) {
      const el = this.cursorElements.get(peer.clientId)
      if (!el) continue
      const cursor = peer.state.cursor
      if (!cursor) {
        el.style.display = 'none'
        continue
      }
      const p = imageToScreen(view, cursor)
      el.style.display = ''
      el.style.transform = `translate(${p.x}px, ${p.y}px)`
    }
  }

  destroy(): void {
    this.sendCursor.cancel()
    this.awareness.off('change', this.onChange)
    this.awareness.setLocalState(null)
    this.layer.remove()
  }

  private readonly onChange = () => {
    const peers: RemotePeer[] = []
    for (const [clientId, raw] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue
      const state = parsePresence(raw)
      if (state) peers.push({ clientId, state })
    }
    this.peers = peers
    this.syncElements()
    this.onPeersChanged()
  }

  private syncElements(): void {
    const live = new Set(this.peers.map((p) => p.clientId))
    for (const [clientId, el] of this.cursorElements) {
      if (!live.has(clientId)) {
        el.remove()
        this.cursorElements.delete(clientId)
      }
    }
    for (const peer of this.peers) {
      let el = this.cursorElements.get(peer.clientId)
      if (!el) {
        el = document.createElement('div')
        el.className = 'remote-cursor'
        el.dataset.testid = 'remote-cursor'
        el.innerHTML =
          '<svg width="14" height="20" viewBox="0 0 14 20"><path d="M0 0 L0 16 L4 12 L7 19 L9 18 L6 11 L12 11 Z"/></svg><span></span>'
        this.layer.append(el)
        this.cursorElements.set(peer.clientId, el)
      }
      el.style.setProperty('--peer-colour', peer.state.user.color)
      el.dataset.userName = peer.state.user.name
      const label = el.querySelector('span')
      if (label && label.textContent !== peer.state.user.name)
        label.textContent = peer.state.user.name
    }
  }
}

/** Reads a peer's awareness state defensively: any Yjs client may publish anything. */
export function parsePresence(raw: unknown): PresenceState | null {
  if (typeof raw !== 'object' || raw === null) return null
  const r = raw as Record<string, unknown>
  const user = r.user as Record<string, unknown> | undefined
  if (!user || typeof user.name !== 'string' || typeof user.id !== 'string') return null
  const color =
    typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#888888'
  const c = r.cursor as Record<string, unknown> | null | undefined
  const cursor = c && typeof c.x === 'number' && typeof c.y === 'number' ? { x: c.x, y: c.y } : null
  const selection = Array.isArray(r.selection)
    ? r.selection.filter((s): s is string => typeof s === 'string')
    : []
  const tool = typeof r.tool === 'string' ? (r.tool as ToolName) : 'select'
  return { user: { id: user.id, name: user.name, color }, cursor, selection, tool }
}
