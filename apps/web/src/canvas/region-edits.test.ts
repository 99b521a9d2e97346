import { readRegions, type Label } from '@concord/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from '../sync/local-origin.ts'
import { createLocalUndoManager } from '../sync/undo.ts'
import { cycleId, labelForHotkey, labelForKind, RegionEdits } from './region-edits.ts'

const label = (id: string, hotkey: number | null, kinds: Label['kinds'] = []): Label => ({
  id,
  name: id,
  color: '#000000',
  hotkey,
  kinds,
})

function target() {
  const doc = new Y.Doc()
  const undoManager = createLocalUndoManager(doc)
  return { doc, undoManager, edit: (fn: () => void) => doc.transact(fn, LOCAL_ORIGIN) }
}

describe('region edits', () => {
  it('stamps who made a region and undoes creation and relabel as separate steps', () => {
    const t = target()
    const edits = new RegionEdits(t, 'alice')
    const id = edits.create('bbox', 'cat', { x: 1, y: 2, w: 3, h: 4 })
    edits.relabel([id], 'dog')
    expect(readRegions(t.doc)[0]).toMatchObject({ labelId: 'dog', createdBy: 'alice' })
    t.undoManager.undo()
    expect(readRegions(t.doc)[0]?.labelId).toBe('cat')
    t.undoManager.undo()
    expect(readRegions(t.doc)).toHaveLength(0)
  })

  it('pastes only copied regions whose geometry still fits the schema', () => {
    const t = target()
    const ids = new RegionEdits(t, 'alice').paste(
      [
        { kind: 'point', labelId: 'a', geometry: { x: 1, y: 1 }, attributes: {} },
        { kind: 'bbox', labelId: 'a', geometry: { x: 1 }, attributes: {} },
        { kind: 'blob', labelId: 'a', geometry: {}, attributes: {} },
      ],
      (c) => c.labelId,
    )
    expect(ids).toHaveLength(1)
    expect(readRegions(t.doc).map((r) => r.kind)).toEqual(['point'])
  })

  it('nudges every selected region by the same offset', () => {
    const t = target()
    const edits = new RegionEdits(t, 'alice')
    edits.create('point', 'a', { x: 1, y: 1 })
    edits.create('bbox', 'a', { x: 0, y: 0, w: 2, h: 2 })
    edits.nudge(readRegions(t.doc), 10, -1)
    const moved = readRegions(t.doc).map((r) => r.geometry)
    expect(moved).toContainEqual({ x: 11, y: 0 })
    expect(moved).toContainEqual({ x: 10, y: -1, w: 2, h: 2 })
  })
})

describe('label choice', () => {
  const labels = [label('person', 2, ['bbox']), label('car', null), label('tree', 1, ['polygon'])]

  it('picks by hotkey in a schema that sets them', () => {
    expect(labelForHotkey(labels, 1)?.id).toBe('tree')
    expect(labelForHotkey(labels, 2)?.id).toBe('person')
    expect(labelForHotkey(labels, 3)).toBeUndefined()
  })

  it('picks by position in a schema without any hotkey', () => {
    const plain = [label('a', null), label('b', null)]
    expect(labelForHotkey(plain, 2)?.id).toBe('b')
    expect(labelForHotkey(plain, 3)).toBeUndefined()
  })

  it('falls back to the first label that allows the shape kind', () => {
    expect(labelForKind(labels, 'tree', 'polygon')).toBe('tree')
    expect(labelForKind(labels, 'tree', 'bbox')).toBe('person')
    expect(labelForKind(labels, 'person', 'point')).toBe('car')
  })
})

describe('Tab cycling', () => {
  it('steps forward and back with wrap-around, starting at an end', () => {
    const ids = ['a', 'b', 'c']
    expect(cycleId(ids, undefined, 1)).toBe('a')
    expect(cycleId(ids, undefined, -1)).toBe('c')
    expect(cycleId(ids, 'c', 1)).toBe('a')
    expect(cycleId(ids, 'a', -1)).toBe('c')
    expect(cycleId([], 'a', 1)).toBeUndefined()
  })
})
