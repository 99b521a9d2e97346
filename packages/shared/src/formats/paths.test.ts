import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  NameAllocator,
  PathIndex,
  baseName,
  extName,
  itemKey,
  normalizePath,
  stripExt,
} from './paths.ts'

describe('normalizePath', () => {
  it('turns backslashes into slashes and drops dot and empty segments', () => {
    expect(normalizePath('.\\images\\\\train/./a.jpg')).toBe('images/train/a.jpg')
  })

  it('decodes URL escapes and leaves invalid escapes alone', () => {
    expect(normalizePath('images/a%20b.jpg')).toBe('images/a b.jpg')
    expect(normalizePath('100%.jpg')).toBe('100%.jpg')
    expect(normalizePath('a%5Cb.jpg')).toBe('a/b.jpg')
  })

  it('composes decomposed Unicode to NFC', () => {
    expect(normalizePath('cafe\u0301.jpg')).toBe('caf\u00e9.jpg')
  })

  it('collapses inner parent segments but keeps one that climbs above the root', () => {
    expect(normalizePath('a/b/../c.jpg')).toBe('a/c.jpg')
    expect(normalizePath('../c.jpg')).toBe('../c.jpg')
  })

  it('never leaves a backslash, an empty segment or a dot segment', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const segments = normalizePath(raw).split('/')
        expect(normalizePath(raw)).not.toContain('\\')
        if (segments.length > 1) expect(segments).not.toContain('')
        expect(segments).not.toContain('.')
      }),
    )
  })
})

describe('path pieces', () => {
  it('splits names, extensions and stems', () => {
    expect(baseName('a/b/c.tar.gz')).toBe('c.tar.gz')
    expect(extName('a/b/c.tar.gz')).toBe('.gz')
    expect(extName('a/.hidden')).toBe('')
    expect(stripExt('a/b.c.jpg')).toBe('a/b.c')
  })

  it('keys items by subset and path', () => {
    expect(itemKey('Train', 'train/a.png')).not.toBe(itemKey('Validation', 'train/a.png'))
    expect(itemKey('', 'a.png')).toBe('a.png')
  })
})

describe('NameAllocator', () => {
  it('never hands out the same name twice, ignoring case', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a.txt', 'A.txt', 'a_2.txt', 'b.txt')), (names) => {
        const allocator = new NameAllocator()
        const given = names.map((name) => allocator.allocate(name).toLowerCase())
        expect(new Set(given).size).toBe(given.length)
      }),
    )
  })

  it('suffixes before the extension', () => {
    const allocator = new NameAllocator()
    allocator.reserve('data.yaml')
    expect(allocator.allocate('x/a.txt')).toBe('x/a.txt')
    expect(allocator.allocate('x/a.txt')).toBe('x/a_2.txt')
    expect(allocator.allocate('data.yaml')).toBe('data_2.yaml')
  })
})

describe('PathIndex', () => {
  it('finds a file by an escaped or differently cased name', () => {
    const index = new PathIndex(['images/a b.JPG', 'images/c.jpg'])
    expect(index.find('./images/a%20b.JPG')).toBe('images/a b.JPG')
    expect(index.find('images/A B.jpg')).toBe('images/a b.JPG')
    expect(index.find('images/d.jpg')).toBeUndefined()
  })

  it('refuses a case-insensitive match when two files fit', () => {
    const index = new PathIndex(['a.jpg', 'A.jpg'])
    expect(index.find('a.JPG')).toBeUndefined()
  })
})
