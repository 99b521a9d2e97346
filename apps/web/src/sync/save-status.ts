/** What the status chip says about this client's edits. */
export type SaveStatus = 'connecting' | 'offline' | 'saving' | 'saved'

/** A Yjs state vector: for each client id, how many of its updates are held. */
export type StateVector = ReadonlyMap<number, number>

export type SaveInputs = {
  connected: boolean
  /** True once the provider has ever connected; before that the chip says "connecting". */
  everConnected: boolean
  /** The local document's state vector, edits restored from the browser's store included. */
  localVector: StateVector
  /** What the server holds durably, from the last saved message; null before one. */
  savedVector: StateVector | null
}

/**
 * "saved" only when the server has said it durably holds every update the local document has,
 * for every client id and not only this page's: edits kept in the browser from an earlier page
 * load carry the client id of that load. Disconnected is "offline" whatever was saved before.
 */
export function computeSaveStatus(s: SaveInputs): SaveStatus {
  if (!s.connected) return s.everConnected ? 'offline' : 'connecting'
  if (s.localVector.size === 0) return 'saved'
  return s.savedVector !== null && covers(s.savedVector, s.localVector) ? 'saved' : 'saving'
}

/** Whether `outer` holds at least every clock of `inner`. */
export function covers(outer: StateVector, inner: StateVector): boolean {
  for (const [client, clock] of inner) {
    if (clock > 0 && (outer.get(client) ?? 0) < clock) return false
  }
  return true
}

export const SAVE_STATUS_TEXT: Record<SaveStatus, string> = {
  connecting: 'connecting…',
  offline: 'offline',
  saving: 'saving…',
  saved: 'saved',
}
