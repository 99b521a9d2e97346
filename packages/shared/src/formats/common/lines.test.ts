import { describe, expect, it } from 'vitest'
import { textLines } from './lines.ts'

describe('textLines', () => {
  it('gives what split gives, numbered, for \\n and \\r\\n endings', () => {
    for (const text of ['', 'a', 'a\n', 'a\r\nb\r\n\r\nc', '\n\n x \n', 'a\rb\n']) {
      expect(
        [...textLines(text)].map(([line]) => line),
        JSON.stringify(text),
      ).toEqual(text.split(/\r?\n/))
      expect([...textLines(text)].map(([, n]) => n)).toEqual(
        text.split(/\r?\n/).map((_, i) => i + 1),
      )
    }
  })

  it('passes over blank lines when asked, keeping the numbers of the others', () => {
    expect([...textLines('\n  \n\ta b\r\n\u00a0\nc', { skipBlank: true })]).toEqual([
      ['\ta b', 3],
      ['c', 5],
    ])
  })

  it('reads ten million blank lines without an array of them', () => {
    const before = process.memoryUsage().heapUsed
    let seen = 0
    for (const _ of textLines('\n'.repeat(10_000_000) + 'x', { skipBlank: true })) seen += 1
    expect(seen).toBe(1)
    // split() would hold ten million strings here, some 80 MB of pointers alone.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 2 ** 20)
  })
})
