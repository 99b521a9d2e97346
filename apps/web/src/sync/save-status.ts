/** What the status chip says about this client's edits. */
export type SaveStatus = 'connecting' | 'offline' | 'saving' | 'saved'

export type SaveInputs = {
  connected: boolean
  /** True once the provider has ever connected; before that the chip says "connecting". */
  everConnected: boolean
  /** This client's own clock: how many of its updates exist locally. */
  localClock: number
  /** The server's durable clock for this client, from the last saved message; null before one. */
  savedClock: number | null
}

/**
 * "saved" only when the server has said it durably holds every local update of this client
 * (or the client made none); disconnected is "offline" whatever was saved before.
 */
export function computeSaveStatus(s: SaveInputs): SaveStatus {
  if (!s.connected) return s.everConnected ? 'offline' : 'connecting'
  if (s.localClock === 0) return 'saved'
  return s.savedClock !== null && s.savedClock >= s.localClock ? 'saved' : 'saving'
}

export const SAVE_STATUS_TEXT: Record<SaveStatus, string> = {
  connecting: 'connecting…',
  offline: 'offline',
  saving: 'saving…',
  saved: 'saved',
}
