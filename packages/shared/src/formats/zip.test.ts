import { strToU8, zipSync } from 'fflate'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FormatError } from './model.ts'
import { unzipToFileSet, zipFileSet } from './zip.ts'

/** Property tests run a hundred cases each; a loaded 2-core CI box needs more than 5 s. */
const PROPERTY_OPTIONS = { timeout: 30_000 }

function zipOf(entries: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strToU8(v)])))
}

function refusal(data: Uint8Array, options = {}): FormatError {
  try {
    unzipToFileSet(data, options)
  } catch (error) {
    if (error instanceof FormatError) return error
    throw error
  }
  throw new Error('expected a FormatError')
}

describe('unzipToFileSet', () => {
  it('unpacks entries under normalised paths and skips folders and archiver litter', () => {
    const files = unzipToFileSet(
      zipOf({ 'd/': '', 'd/a%20b.txt': 'x', '__MACOSX/d/._a.txt': 'junk', 'd/.DS_Store': '' }),
    )
    expect([...files.keys()]).toEqual(['d/a b.txt'])
    expect(new TextDecoder().decode(files.get('d/a b.txt'))).toBe('x')
  })

  it.each([
    ['../evil.txt'],
    ['a/../../evil.txt'],
    ['/etc/passwd'],
    ['C:/Windows/evil.txt'],
    ['c:evil.txt'],
    ['..\\evil.txt'],
    ['a\\..\\..\\evil.txt'],
    ['\\\\server\\share\\evil.txt'],
    ['%2e%2e/evil.txt'],
  ])('refuses the traversal %s and names the entry', (name) => {
    const error = refusal(zipOf({ 'ok.txt': 'fine', [name]: 'bad' }))
    expect(error.where).toBe(name)
    expect(error.message).toContain('unsafe entry name')
  })

  it('refuses two entries that normalise to one path', () => {
    const error = refusal(zipOf({ 'a/b.txt': '1', 'a\\b.txt': '2' }))
    expect(error.message).toContain('collides')
  })

  it('refuses an archive whose unpacked size passes the limit before inflating it', () => {
    const bomb = zipSync({ 'zeros.bin': new Uint8Array(4 * 1024 * 1024) })
    expect(bomb.length).toBeLessThan(64 * 1024)
    const error = refusal(bomb, { maxUnpackedBytes: 1024 * 1024 })
    expect(error.where).toBe('zeros.bin')
    expect(error.message).toContain('unpacked size')
  })

  it('reads UTF-8 names written without the UTF-8 flag (macOS Finder) as UTF-8', () => {
    // An ASCII name of the same byte length, then its bytes swapped for UTF-8 ones: the flag
    // stays unset, as the Finder leaves it.
    const wanted = new TextEncoder().encode('café/ščřž.jpg')
    const placeholder = 'x'.repeat(wanted.length)
    const zip = zipOf({ [placeholder]: 'bytes', 'Ã©.txt': 'latin' })
    const ascii = new TextEncoder().encode(placeholder)
    for (let i = 0; i + ascii.length <= zip.length; i++) {
      if (ascii.every((b, k) => zip[i + k] === b)) zip.set(wanted, i)
    }
    const files = unzipToFileSet(zip)
    expect([...files.keys()].sort()).toEqual(['café/ščřž.jpg', 'Ã©.txt'])
    expect(new TextDecoder().decode(files.get('café/ščřž.jpg'))).toBe('bytes')
  })

  it('refuses bytes that are not a zip with a FormatError', () => {
    expect(refusal(strToU8('not a zip at all, just text')).message).toContain('not a readable zip')
  })
})

describe('zipFileSet', PROPERTY_OPTIONS, () => {
  it('stores images and small files, and deflates larger text', () => {
    const small = new TextEncoder().encode('0 0.5 0.5 0.1 0.1\n'.repeat(100))
    const large = new TextEncoder().encode('0 0.5 0.5 0.1 0.1\n'.repeat(1000))
    const methods = (zip: Uint8Array) => {
      // The compression method of each local file header: 0 stored, 8 deflated.
      const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
      const found: number[] = []
      for (let i = 0; i + 30 <= zip.length; i++) {
        if (view.getUint32(i, true) === 0x04034b50) found.push(view.getUint16(i + 8, true))
      }
      return found
    }
    const zip = zipFileSet(
      new Map([
        ['labels/a.txt', small],
        ['labels/b.txt', large],
        ['images/c.jpg', large],
      ]),
    )
    expect(methods(zip)).toEqual([0, 8, 0])
    expect(unzipToFileSet(zip).get('labels/b.txt')).toEqual(large)
  })

  it('packs a FileSet that unpacks to the same files', () => {
    const path = fc
      .array(fc.constantFrom('a', 'b', 'img', 'é', 'x y'), { minLength: 1, maxLength: 3 })
      .map((segments) => segments.join('/') + '.bin')
    fc.assert(
      fc.property(fc.dictionary(path, fc.uint8Array({ maxLength: 64 })), (entries) => {
        const files = new Map(Object.entries(entries))
        // A path that is also a folder of another path cannot exist on disk either.
        const paths = [...files.keys()]
        fc.pre(!paths.some((p) => paths.some((q) => q.startsWith(p.slice(0, -4) + '/'))))
        expect(unzipToFileSet(zipFileSet(files))).toEqual(files)
      }),
    )
  })
})
