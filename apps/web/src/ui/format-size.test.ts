import { describe, expect, it } from 'vitest'
import { formatSize, humaniseSizes } from './format-size.ts'

describe('sizes for people', () => {
  it('keeps small counts in bytes', () => {
    expect(formatSize(0)).toBe('0 bytes')
    expect(formatSize(1)).toBe('1 byte')
    expect(formatSize(1023)).toBe('1023 bytes')
  })

  it('uses binary units with one decimal below ten', () => {
    expect(formatSize(1024)).toBe('1 KiB')
    expect(formatSize(1536)).toBe('1.5 KiB')
    expect(formatSize(50 * 1024 * 1024)).toBe('50 MiB')
    expect(formatSize(512 * 1024 * 1024)).toBe('512 MiB')
    expect(formatSize(3 * 1024 ** 3 + 512 * 1024 ** 2)).toBe('3.5 GiB')
  })

  it('rewrites byte counts inside a server message', () => {
    expect(humaniseSizes('Larger than the limit of 52428800 bytes')).toBe(
      'Larger than the limit of 50 MiB',
    )
    expect(humaniseSizes('No sizes here')).toBe('No sizes here')
  })
})
