import type { MaskGeometry } from '../../domain/region.ts'
import { rleBbox, rleFromBinary, rleToBinary } from '../../geometry/index.ts'

/**
 * CVAT 1.1 masks: a run-length string over the mask's own box (`left`, `top`, `width`,
 * `height`), row by row, starting with a background run. The workspace holds masks as COCO RLE
 * over the whole image, column by column; these two functions convert between them.
 */
export type CvatMask = { rle: number[]; left: number; top: number; width: number; height: number }

/** Places a CVAT box mask into a full-image COCO RLE. */
export function cvatMaskToRle(
  mask: CvatMask,
  imageWidth: number,
  imageHeight: number,
): MaskGeometry {
  const bits = new Uint8Array(imageWidth * imageHeight)
  let pos = 0
  mask.rle.forEach((count, i) => {
    if (i % 2 === 1) {
      for (let p = pos; p < pos + count; p++) {
        const x = mask.left + (p % mask.width)
        const y = mask.top + Math.floor(p / mask.width)
        if (x < imageWidth && y < imageHeight) bits[x * imageHeight + y] = 1
      }
    }
    pos += count
  })
  return rleFromBinary(bits, imageWidth, imageHeight)
}

/** Cuts a full-image COCO RLE down to CVAT's box mask; undefined for an empty mask. */
export function rleToCvatMask(rle: MaskGeometry): CvatMask | undefined {
  const box = rleBbox(rle)
  if (box.w === 0 || box.h === 0) return undefined
  const bits = rleToBinary(rle)
  const counts: number[] = []
  let current = 0
  let run = 0
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const value = bits[x * rle.height + y] ?? 0
      if (value !== current) {
        counts.push(run)
        run = 0
        current = value
      }
      run++
    }
  }
  counts.push(run)
  return { rle: counts, left: box.x, top: box.y, width: box.w, height: box.h }
}
