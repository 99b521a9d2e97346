import { encodeBinary } from '@thi.ng/rle-pack'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rleFromBinary, rleToBinary } from '../../geometry/index.ts'
import { maskRegion } from '../test-support/arbitraries.ts'
import { BrushRleError, decodeBrushRle, encodeBrushRle } from './brush.ts'

describe('Label Studio brush packing', () => {
  it('packs a one-pixel mask into the bytes worked out by hand', () => {
    // Header: 32-bit count 4, word size 8 as 7 in 5 bits, run sizes 3,4,8,16 as 2,3,7,15 in 4
    // bits each; then one run: flag 1, size class 0, repeat 3 in 3 bits, value 255 in 8 bits.
    // 00111 0010 0011 0111 1111 | 1 00 011 11111111 -> 57, 27, 252, 127, 224 (zero padded).
    const packed = encodeBrushRle({ width: 1, height: 1, counts: [0, 1] })
    expect(packed).toEqual([0, 0, 0, 4, 57, 27, 252, 127, 224])
  })

  it('unpacks the hand-worked bytes of two pixels, left one set, as a mask of the left pixel', () => {
    // The same header with count 8, then a run of four 255s and a run of four 0s.
    const packed = [0, 0, 0, 8, 57, 27, 252, 127, 241, 128, 0]
    expect(decodeBrushRle(packed, 2, 1)).toEqual({ width: 2, height: 1, counts: [0, 1, 1] })
  })

  it('reads the row-major RGBA image into a column-major mask', () => {
    // 2x2 image, only the top-right pixel (x 1, y 0) set: fourth in column-major order is x 1, y 0.
    const rgba = new Uint8Array(16)
    rgba.fill(255, 4, 8)
    const mask = decodeBrushRle(Array.from(encodeBinary(rgba, 16)), 2, 2)
    expect(Array.from(rleToBinary(mask))).toEqual([0, 0, 1, 0])
  })

  it('takes a pixel as set by its alpha alone', () => {
    // Pixel 0: coloured but transparent; pixel 1: black at half opacity.
    const rgba = new Uint8Array([200, 10, 10, 0, 0, 0, 0, 128])
    const mask = decodeBrushRle(Array.from(encodeBinary(rgba, 8)), 2, 1)
    expect(Array.from(rleToBinary(mask))).toEqual([0, 1])
  })

  it('gives back any mask exactly', () => {
    fc.assert(
      fc.property(maskRegion, (region) => {
        if (region.kind !== 'mask') return
        const { width, height } = region.geometry
        expect(decodeBrushRle(encodeBrushRle(region.geometry), width, height)).toEqual(
          region.geometry,
        )
      }),
      { numRuns: 50 },
    )
  })

  it('gives back a full mask whose runs exceed the longest run the packing holds', () => {
    // 200 x 100 x 4 = 80000 equal bytes: more than the 65536 of one 16-bit run.
    const full = rleFromBinary(new Uint8Array(200 * 100).fill(1), 200, 100)
    const half = rleFromBinary(
      Uint8Array.from({ length: 200 * 100 }, (_, i) => (i < 150 * 100 ? 1 : 0)),
      200,
      100,
    )
    for (const mask of [full, half])
      expect(decodeBrushRle(encodeBrushRle(mask), 200, 100)).toEqual(mask)
  })

  it('gives back masks whose last run is one pixel either side of a full 16-bit run', () => {
    // 16384 pixels are 65536 bytes, the longest run one packing group holds.
    for (const tail of [16383, 16384, 16385, 32768, 32769]) {
      const bits = new Uint8Array(3 + tail)
      bits.fill(1, 0, 3)
      const mask = rleFromBinary(bits, 1, bits.length)
      expect(decodeBrushRle(encodeBrushRle(mask), 1, bits.length)).toEqual(mask)
    }
  })

  it('refuses a packing for an image of another size before unpacking it', () => {
    const packed = encodeBrushRle({ width: 2, height: 2, counts: [1, 3] })
    expect(() => decodeBrushRle(packed, 3, 2)).toThrow(/holds 16 bytes.*3x2.*needs 24/)
  })

  it('refuses a packing that ends early', () => {
    const packed = encodeBrushRle({ width: 4, height: 4, counts: [3, 5, 8] })
    expect(() => decodeBrushRle(packed.slice(0, 8), 4, 4)).toThrow(BrushRleError)
    expect(() => decodeBrushRle([0, 0], 4, 4)).toThrow(BrushRleError)
  })
})
