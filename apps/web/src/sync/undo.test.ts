import { addRegion, readRegions, updateRegion } from '@concord/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from './local-origin.ts'
import { createLocalUndoManager } from './undo.ts'

/** Two documents wired together as the server would relay updates between two browsers. */
function pair() {
  const mine = new Y.Doc()
  const theirs = new Y.Doc()
  mine.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(theirs, u, 'relay'),
  )
  theirs.on(
    'update',
    (u: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(mine, u, 'relay'),
  )
  return { mine, theirs }
}

describe("undo of one's own edits", () => {
  it("removes my region and leaves the colleague's", () => {
    const { mine, theirs } = pair()
    const undo = createLocalUndoManager(mine)
    mine.transact(
      () => addRegion(mine, { kind: 'point', labelId: 'a', geometry: { x: 1, y: 1 } }, 'me'),
      LOCAL_ORIGIN,
    )
    addRegion(theirs, { kind: 'point', labelId: 'b', geometry: { x: 2, y: 2 } }, 'them')
    undo.undo()
    expect(readRegions(mine).map((r) => r.createdBy)).toEqual(['them'])
    expect(readRegions(theirs).map((r) => r.createdBy)).toEqual(['them'])
    undo.redo()
    expect(readRegions(theirs)).toHaveLength(2)
  })

  it("undoes my move without reverting the colleague's relabel of the same region", () => {
    const { mine, theirs } = pair()
    const id = addRegion(
      theirs,
      { kind: 'bbox', labelId: 'cat', geometry: { x: 0, y: 0, w: 5, h: 5 } },
      'them',
    )
    const undo = createLocalUndoManager(mine)
    mine.transact(
      () => updateRegion(mine, id, { geometry: { x: 9, y: 9, w: 5, h: 5 } }, 'me'),
      LOCAL_ORIGIN,
    )
    updateRegion(theirs, id, { labelId: 'dog' }, 'them')
    undo.undo()
    const [region] = readRegions(mine)
    expect(region?.geometry).toEqual({ x: 0, y: 0, w: 5, h: 5 })
    expect(region?.labelId).toBe('dog')
  })

  it('does not record edits made without the local origin', () => {
    const doc = new Y.Doc()
    const undo = createLocalUndoManager(doc)
    addRegion(doc, { kind: 'point', labelId: 'a', geometry: { x: 1, y: 1 } }, 'script')
    expect(undo.canUndo()).toBe(false)
  })
})
