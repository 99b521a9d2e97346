import { addRegion, getRegionsMap, updateRegion } from '@concord/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { RegionStore } from './region-store.ts'

describe('region store', () => {
  it('follows adds, field edits and deletes made by another Yjs client', () => {
    const mine = new Y.Doc()
    const theirs = new Y.Doc()
    theirs.on('update', (u: Uint8Array) => Y.applyUpdate(mine, u, 'remote'))
    const store = new RegionStore(mine)
    const seen: string[][] = []
    store.subscribe((c) => seen.push([...c.changed]))

    const id = addRegion(
      theirs,
      { kind: 'bbox', labelId: 'cat', geometry: { x: 1, y: 2, w: 3, h: 4 } },
      'bob',
    )
    expect(store.regions.get(id)?.geometry).toEqual({ x: 1, y: 2, w: 3, h: 4 })

    updateRegion(theirs, id, { labelId: 'dog' }, 'bob')
    expect(store.regions.get(id)?.labelId).toBe('dog')

    theirs.transact(() => getRegionsMap(theirs).delete(id))
    expect(store.regions.has(id)).toBe(false)
    expect(seen).toEqual([[id], [id], [id]])
  })

  it('leaves out a region whose geometry does not follow the schema', () => {
    const doc = new Y.Doc()
    const bad = new Y.Map<unknown>()
    bad.set('kind', 'bbox')
    bad.set('geometry', { x: 1 })
    getRegionsMap(doc).set('bad', bad)
    expect(new RegionStore(doc).regions.size).toBe(0)
  })
})
