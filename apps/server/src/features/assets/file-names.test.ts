import { describe, expect, it } from 'vitest'
import { normaliseRelativePath } from './file-names.ts'

describe('normaliseRelativePath', () => {
  it('turns backslashes into slashes and drops leading, empty, . and .. segments', () => {
    expect(normaliseRelativePath('\\\\server\\share\\..\\a\\.\\b.jpg')).toBe('server/share/a/b.jpg')
    expect(normaliseRelativePath('/../../etc/passwd')).toBe('etc/passwd')
  })

  it('composes Unicode to NFC so that one name has one spelling', () => {
    expect(normaliseRelativePath('e\u0301.png')).toBe('\u00e9.png')
  })

  it('answers null when nothing usable is left', () => {
    expect(normaliseRelativePath('../..//./')).toBeNull()
    expect(normaliseRelativePath('\u0000')).toBeNull()
  })
})
