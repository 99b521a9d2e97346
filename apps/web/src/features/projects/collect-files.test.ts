import { describe, expect, it } from 'vitest'
import { relativePathOf } from './collect-files.ts'

describe('upload paths', () => {
  it('sends the folder-relative path from a folder picker', () => {
    expect(relativePathOf({ name: 'a.jpg', webkitRelativePath: 'shots/day1/a.jpg' })).toBe(
      'shots/day1/a.jpg',
    )
  })

  it('uses the drop entry path without its leading slash', () => {
    expect(relativePathOf({ name: 'a.jpg', webkitRelativePath: '' }, '/shots/a.jpg')).toBe(
      'shots/a.jpg',
    )
  })

  it('falls back to the bare file name', () => {
    expect(relativePathOf({ name: 'a.jpg', webkitRelativePath: '' })).toBe('a.jpg')
  })
})
