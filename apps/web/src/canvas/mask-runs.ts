import type { MaskGeometry } from '@concord/shared'

/** A vertical run of mask pixels: column `x`, rows `y` to `y + h`. */
export type MaskRun = { x: number; y: number; h: number }

/**
 * The foreground runs of a mask in COCO's uncompressed, column-major RLE (counts alternate
 * background and foreground, starting with background), split at column ends so that each run
 * is one rectangle one pixel wide. Drawing these fills the mask exactly, with as many
 * rectangles as the mask has runs per column, not pixels.
 */
export function maskRuns(mask: MaskGeometry): MaskRun[] {
  const runs: MaskRun[] = []
  const { height } = mask
  let index = 0
  mask.counts.forEach((count, i) => {
    if (i % 2 === 1) {
      let start = index
      const end = index + count
      while (start < end) {
        const x = Math.floor(start / height)
        const y = start % height
        const h = Math.min(end - start, height - y)
        runs.push({ x, y, h })
        start += h
      }
    }
    index += count
  })
  return runs
}
