import { describe, expect, it } from 'vitest'
import { resolveShortcut, SHORTCUT_HELP, type KeyInput } from './shortcuts.ts'

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrl: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
})

describe('keyboard shortcuts', () => {
  it('maps the habits of other labelling tools', () => {
    expect(resolveShortcut(key('3'))).toEqual({ type: 'label', hotkey: 3 })
    expect(resolveShortcut(key('Delete'))).toEqual({ type: 'delete' })
    expect(resolveShortcut(key('Backspace'))).toEqual({ type: 'delete' })
    expect(resolveShortcut(key('z', { ctrl: true }))).toEqual({ type: 'undo' })
    expect(resolveShortcut(key('Z', { ctrl: true, shift: true }))).toEqual({ type: 'redo' })
    expect(resolveShortcut(key('y', { ctrl: true }))).toEqual({ type: 'redo' })
    expect(resolveShortcut(key('z', { meta: true }))).toEqual({ type: 'undo' })
    expect(resolveShortcut(key('Enter'))).toEqual({ type: 'finish' })
    expect(resolveShortcut(key('Escape'))).toEqual({ type: 'escape' })
    expect(resolveShortcut(key('Tab', { shift: true }))).toEqual({ type: 'cycle', step: -1 })
    expect(resolveShortcut(key('H', { shift: true }))).toEqual({ type: 'toggleRegions' })
  })

  it('nudges by one pixel and by ten with Shift', () => {
    expect(resolveShortcut(key('ArrowLeft'))).toEqual({ type: 'nudge', dx: -1, dy: 0 })
    expect(resolveShortcut(key('ArrowDown', { shift: true }))).toEqual({
      type: 'nudge',
      dx: 0,
      dy: 10,
    })
  })

  it('leaves 0 and unknown keys alone', () => {
    expect(resolveShortcut(key('0'))).toBeNull()
    expect(resolveShortcut(key('q'))).toBeNull()
  })

  it('lists every command kind in the help overlay', () => {
    const text = SHORTCUT_HELP.map((s) => s.keys).join(' ')
    for (const k of [
      '1 – 9',
      'Delete',
      'Ctrl+Z',
      'Ctrl+Y',
      'Escape',
      'Enter',
      'Arrow',
      'Tab',
      'Space',
      'Wheel',
      '?',
      'F',
      'H',
      'Shift+H',
    ]) {
      expect(text).toContain(k)
    }
  })
})
