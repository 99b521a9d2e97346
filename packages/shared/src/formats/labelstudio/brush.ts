import { decodeBinary, encodeBinary } from '@thi.ng/rle-pack'
import { rleFromBinary, rleToBinary, type Rle } from '../../geometry/index.ts'
import { parseWithSchema } from '../common/json.ts'
import type { ReportBuilder } from '../common/report.ts'
import { FormatError } from '../model.ts'
import { lsBrushValue, type LsResult } from './schema.ts'

/**
 * Label Studio's brush masks. `value.rle` is the RGBA image of the brush layer (`width * height * 4`
 * bytes, row-major) packed with `@thi.ng/rle-pack`, the packer Label Studio's editor uses: a 32-bit
 * word count, the word size and four run-length sizes, then runs and literal chunks. A pixel is in
 * the mask when its alpha is non-zero, as label-studio-converter reads it.
 */

/** Bytes per pixel of the packed image: red, green, blue, alpha. */
const CHANNELS = 4

/** Thrown for a packing that does not decode to an image of the expected size. */
export class BrushRleError extends Error {
  override readonly name = 'BrushRleError'
}

/** The word count a packing announces in its first 32 bits (big-endian). */
function announcedWords(packed: Uint8Array): number {
  if (packed.length < 4) throw new BrushRleError('packing is shorter than its 4-byte header')
  return ((packed[0]! << 24) | (packed[1]! << 16) | (packed[2]! << 8) | packed[3]!) >>> 0
}

/**
 * Unpacks a brush layer into a COCO-layout mask. The announced size is checked before anything is
 * allocated, so a corrupt header cannot ask for gigabytes.
 */
export function decodeBrushRle(packed: ArrayLike<number>, width: number, height: number): Rle {
  const bytes = Uint8Array.from(packed)
  const words = announcedWords(bytes)
  const expected = width * height * CHANNELS
  if (words !== expected) {
    throw new BrushRleError(
      `packing holds ${words} bytes; a ${width}x${height} RGBA image needs ${expected}`,
    )
  }
  let rgba: ArrayLike<number>
  try {
    rgba = decodeBinary(bytes)
  } catch (cause) {
    throw new BrushRleError(`packing ends early or is corrupt (${(cause as Error).message})`)
  }
  const bits = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (rgba[(y * width + x) * CHANNELS + CHANNELS - 1]! > 0) bits[x * height + y] = 1
    }
  }
  return rleFromBinary(bits, width, height)
}

/**
 * Packs a mask as Label Studio stores a brush: every channel 255 inside, 0 outside (what
 * label-studio-converter writes; the editor colours the layer by the label when it draws it).
 */
export function encodeBrushRle(mask: Rle): number[] {
  const { width, height } = mask
  const bits = rleToBinary(mask)
  const rgba = new Uint8Array(width * height * CHANNELS)
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (bits[x * height + y])
        rgba.fill(255, (y * width + x) * CHANNELS, (y * width + x + 1) * CHANNELS)
    }
  }
  // @thi.ng/rle-pack 3.2 mis-packs a final run of 65536k + 1 equal bytes; runs here are whole
  // pixels of four equal bytes, so they never have that length.
  return Array.from(encodeBinary(rgba, rgba.length))
}

/** Reads a brush result as a mask the size of the image it was drawn on (`original_width/height`). */
export function readBrush(
  r: LsResult,
  at: string,
  size: { width: number; height: number },
  report: ReportBuilder,
  file: string,
) {
  const v = parseWithSchema(file, lsBrushValue, r.value, `${at}.value`)
  if (v.format !== 'rle') {
    report.warn({
      code: 'skipped',
      message: `brush format ${JSON.stringify(v.format ?? null)} is not read; only "rle" is`,
      file,
      path: `${at}.value.format`,
    })
    return undefined
  }
  if (!v.rle) throw new FormatError(file, `${at}.value.rle`, 'brush in "rle" format without rle')
  if (!Number.isInteger(size.width) || !Number.isInteger(size.height))
    throw new FormatError(file, at, 'brush on an image whose size is not whole pixels')
  try {
    return { kind: 'mask' as const, geometry: decodeBrushRle(v.rle, size.width, size.height) }
  } catch (error) {
    if (error instanceof BrushRleError)
      throw new FormatError(file, `${at}.value.rle`, error.message)
    throw error
  }
}
