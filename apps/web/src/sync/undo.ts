import { getRegionsMap } from '@concord/shared'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from './local-origin.ts'

/**
 * An undo manager over the regions that only records transactions made with LOCAL_ORIGIN:
 * each person undoes their own edits, never a colleague's arriving over the socket.
 */
export function createLocalUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager(getRegionsMap(doc), { trackedOrigins: new Set([LOCAL_ORIGIN]) })
}
