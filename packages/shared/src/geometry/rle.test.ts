import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeRleString,
  encodeRleString,
  rleArea,
  rleBbox,
  rleFromBinary,
  rleIou,
  rleToBinary,
} from './rle.ts'

const binaryMask = fc
  .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) })
  .chain(({ width, height }) =>
    fc.record({
      width: fc.constant(width),
      height: fc.constant(height),
      bits: fc.uint8Array({ min: 0, max: 1, minLength: width * height, maxLength: width * height }),
    }),
  )

describe('RLE', () => {
  it('encodes and decodes a binary mask without change', () => {
    fc.assert(
      fc.property(binaryMask, ({ width, height, bits }) => {
        const rle = rleFromBinary(bits, width, height)
        expect(rle.counts.reduce((a, b) => a + b, 0)).toBe(width * height)
        expect([...rleToBinary(rle)]).toEqual([...bits])
      }),
    )
  })

  it('counts foreground pixels as the area', () => {
    fc.assert(
      fc.property(binaryMask, ({ width, height, bits }) => {
        const ones = bits.reduce((a, b) => a + b, 0)
        expect(rleArea(rleFromBinary(bits, width, height))).toBe(ones)
      }),
    )
  })

  it('gives the pixel extent of the foreground as its bbox', () => {
    fc.assert(
      fc.property(binaryMask, ({ width, height, bits }) => {
        let minX = Infinity,
          minY = Infinity,
          maxX = -1,
          maxY = -1
        bits.forEach((b, i) => {
          if (!b) return
          const x = Math.floor(i / height)
          const y = i % height
          minX = Math.min(minX, x)
          maxX = Math.max(maxX, x)
          minY = Math.min(minY, y)
          maxY = Math.max(maxY, y)
        })
        const box = rleBbox(rleFromBinary(bits, width, height))
        if (maxX < 0) expect(box).toEqual({ x: 0, y: 0, w: 0, h: 0 })
        else expect(box).toEqual({ x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 })
      }),
    )
  })

  it('round-trips counts through the COCO compressed string, including large counts', () => {
    const count = fc.oneof(fc.nat(), fc.nat({ max: 500 }), fc.constantFrom(2 ** 33, 2 ** 40 + 7))
    fc.assert(
      fc.property(fc.array(count, { maxLength: 40 }), (c) => {
        expect(decodeRleString(encodeRleString(c))).toEqual(c)
      }),
    )
  })

  it('stores counts after the second as deltas from two places back', () => {
    // A 4x4 column-major mask with pixels (1,1),(1,2),(2,1),(2,2) set; counts 3 and 4 are
    // written as 2-2=0 and 5-2=3.
    const bits = new Uint8Array(16)
    for (const [x, y] of [
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ] as const)
      bits[x * 4 + y] = 1
    const rle = rleFromBinary(bits, 4, 4)
    expect(rle.counts).toEqual([5, 2, 2, 2, 5])
    expect(decodeRleString('52203')).toEqual([5, 2, 2, 2, 5])
    expect(encodeRleString([5, 2, 2, 2, 5])).toBe('52203')
  })

  it('rejects characters outside the compressed alphabet', () => {
    expect(() => decodeRleString('5 2')).toThrow(/invalid character/)
  })

  it('measures IoU between masks', () => {
    const a = rleFromBinary([1, 1, 0, 0], 2, 2)
    const b = rleFromBinary([1, 0, 1, 0], 2, 2)
    expect(rleIou(a, b)).toBeCloseTo(1 / 3)
  })
})
