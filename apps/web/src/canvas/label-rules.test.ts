import type { Label } from '@concord/shared'
import { describe, expect, it } from 'vitest'
import { labelAllows, labelForDrawing, relabelRefusal } from './label-rules.ts'

const label = (id: string, kinds: Label['kinds'] = []): Label => ({
  id,
  name: id,
  color: '#000000',
  hotkey: null,
  kinds,
})

const pot = label('pot', ['bbox'])
const tree = label('tree', ['polygon', 'point'])
const anything = label('anything')

describe('which kinds a label allows', () => {
  it('allows every kind when the label lists none', () => {
    expect(labelAllows(anything, 'mask')).toBe(true)
    expect(labelAllows(pot, 'bbox')).toBe(true)
    expect(labelAllows(pot, 'polygon')).toBe(false)
  })

  it('gives a drawn shape the active label when it allows the kind', () => {
    expect(labelForDrawing([pot, tree], 'tree', 'point')).toEqual({ ok: true, labelId: 'tree' })
  })

  it('refuses a drawn shape the active label does not allow, naming label and kind', () => {
    const choice = labelForDrawing([pot, tree, anything], 'pot', 'polygon')
    expect(choice.ok).toBe(false)
    if (choice.ok) return
    expect(choice.message).toContain('“pot”')
    expect(choice.message).toContain('polygons')
  })

  it('draws without a label only in a project without labels', () => {
    expect(labelForDrawing([], null, 'bbox')).toEqual({ ok: true, labelId: '' })
    expect(labelForDrawing([pot], 'gone', 'bbox').ok).toBe(false)
  })

  it('refuses a relabel whole when any selected region has a kind the label does not allow', () => {
    expect(relabelRefusal(pot, ['bbox', 'bbox'])).toBeNull()
    expect(relabelRefusal(anything, ['bbox', 'polygon'])).toBeNull()
    expect(relabelRefusal(pot, ['bbox', 'point'])).toMatch(/“pot” does not allow points/)
  })
})
