import { describe, expect, it } from 'vitest'
import { createAssetMatcher } from './asset-matcher.ts'

const assets = (...names: string[]) => names.map((fileName) => ({ fileName }))
const nameOf = (found: { fileName: string } | undefined) => found?.fileName

describe('matching an annotation file to the project images', () => {
  it('takes the same relative path first, then subset and path', () => {
    const match = createAssetMatcher(assets('a.jpg', 'train/a.jpg', 'val/a.jpg'))
    expect(nameOf(match('a.jpg'))).toBe('a.jpg')
    expect(nameOf(match('a.jpg', 'val'))).toBe('val/a.jpg')
  })

  it('finds an image by the end of its path, preferring the folder that names the subset', () => {
    const match = createAssetMatcher(assets('images/train/frame.jpg', 'images/val/frame.jpg'))
    expect(nameOf(match('frame.jpg', 'val'))).toBe('images/val/frame.jpg')
    expect(nameOf(match('frame.jpg', 'Train'))).toBe('images/train/frame.jpg')
    expect(nameOf(match('val/frame.jpg'))).toBe('images/val/frame.jpg')
  })

  it('refuses to guess between images that share a base name', () => {
    const match = createAssetMatcher(assets('images/train/frame.jpg', 'images/val/frame.jpg'))
    expect(match('frame.jpg')).toBeUndefined()
    expect(match('frame.jpg', 'test')).toBeUndefined()
  })

  it('falls back to a base name only when one image has it', () => {
    const match = createAssetMatcher(assets('photos/2011_000003.jpg'))
    expect(nameOf(match('JPEGImages/2011_000003.jpg'))).toBe('photos/2011_000003.jpg')
    const strict = createAssetMatcher(assets('photos/2011_000003.jpg'), { byBaseName: false })
    expect(strict('JPEGImages/2011_000003.jpg')).toBeUndefined()
    expect(nameOf(strict('photos/2011_000003.jpg'))).toBe('photos/2011_000003.jpg')
  })

  it('finds an image by its path without extension when the name has none and one image fits', () => {
    const match = createAssetMatcher(assets('images/frame_000010.png', 'frame_000013.jpg'))
    expect(nameOf(match('frame_000010'))).toBe('images/frame_000010.png')
    expect(nameOf(match('images/frame_000010'))).toBe('images/frame_000010.png')
    expect(nameOf(match('frame_000013'))).toBe('frame_000013.jpg')
    expect(match('frame_000011')).toBeUndefined()
    // A name with an extension of its own is not stripped to fit another.
    expect(match('frame_000010.jpg')).toBeUndefined()
  })

  it('prefers the same path and the subset without extension too, and refuses to guess', () => {
    const match = createAssetMatcher(
      assets('train/frame.png', 'val/frame.png', 'shots/a.png', 'shots/a.jpg', 'b', 'x/b.png'),
    )
    expect(nameOf(match('frame', 'val'))).toBe('val/frame.png')
    expect(match('frame')).toBeUndefined()
    expect(match('shots/a')).toBeUndefined()
    expect(nameOf(match('b'))).toBe('b')
    const strict = createAssetMatcher(assets('images/frame.png'), { byBaseName: false })
    expect(strict('frame')).toBeUndefined()
    expect(nameOf(strict('images/frame'))).toBe('images/frame.png')
  })

  it('compares URL-decoded, NFC-normalised names', () => {
    const match = createAssetMatcher(assets('caf\u00e9 menu.jpg'))
    expect(nameOf(match('cafe\u0301%20menu.jpg'))).toBe('caf\u00e9 menu.jpg')
  })
})
