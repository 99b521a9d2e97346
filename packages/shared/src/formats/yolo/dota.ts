import type { RboxGeometry } from '../../domain/region.ts'
import { FormatError, type InterchangeRegion } from '../model.ts'
import { baseName } from '../paths.ts'
import { cornersToRbox, isRectangle } from './lines.ts'
import { textLines } from '../common/lines.ts'

/**
 * DOTA label files, as Roboflow's `yolo_obb` export and the DOTA dataset itself lay them out
 * (`<split>/labelTxt/<stem>.txt` beside `<split>/images/<stem>.jpg`): one object a line,
 * `x1 y1 x2 y2 x3 y3 x4 y4 class_name difficult`, corners in pixels of the image.
 */

/** One DOTA object line. */
export type DotaLine = {
  file: string
  line: number
  corners: [number, number][]
  className: string
  /** DOTA's `difficult` flag, when the line has one. */
  difficult?: boolean
}

/** Whether a label file sits in a DOTA `labelTxt` folder and holds DOTA lines. */
export function isDotaLabelFile(path: string): boolean {
  return path.split('/').some((segment) => segment.toLowerCase() === 'labeltxt')
}

/** DOTA 1.0 files open with `imagesource:` and `gsd:` lines that are metadata, not objects. */
const HEADER = /^(imagesource|gsd)\s*:/i

/** Reads a DOTA label file; a line that is not eight numbers and a class name is refused. */
export function parseDotaFile(file: string, text: string): DotaLine[] {
  const lines: DotaLine[] = []
  for (const [content, number] of textLines(text, { skipBlank: true })) {
    const trimmed = content.trim()
    if (HEADER.test(trimmed)) continue
    const where = `line ${number}`
    const tokens = trimmed.split(/\s+/)
    if (tokens.length < 9 || tokens.length > 10) {
      throw new FormatError(
        file,
        where,
        `expected "x1 y1 x2 y2 x3 y3 x4 y4 class difficult", found ${tokens.length} values`,
      )
    }
    const numbers = tokens.slice(0, 8).map(Number)
    if (numbers.some((n) => !Number.isFinite(n))) {
      throw new FormatError(file, where, `corners are not numbers: "${trimmed}"`)
    }
    const difficult = tokens[9]
    if (difficult !== undefined && difficult !== '0' && difficult !== '1') {
      throw new FormatError(file, where, `difficult is "${difficult}", not 0 or 1`)
    }
    const corners: [number, number][] = []
    for (let i = 0; i < 8; i += 2) corners.push([numbers[i]!, numbers[i + 1]!])
    lines.push({
      file,
      line: number,
      corners,
      className: tokens[8]!,
      ...(difficult !== undefined ? { difficult: difficult === '1' } : {}),
    })
  }
  return lines
}

/** Counts what reading DOTA lines did, for the report. */
export type DotaCounter = { clamped: number; fitted: number }

/**
 * A DOTA line as a rotated box, the geometry a YOLO obb line gives. Pixels need no image size
 * to be read; with one, corners past the edge are moved onto it first and counted, so no box
 * leaves the image without the report saying so.
 */
export function dotaRegion(
  line: DotaLine,
  size: { width: number; height: number } | undefined,
  counter: DotaCounter,
): InterchangeRegion {
  const corners = line.corners.map(([x, y]): [number, number] => {
    if (!size) return [x, y]
    const cx = Math.min(Math.max(x, 0), size.width)
    const cy = Math.min(Math.max(y, 0), size.height)
    if (cx !== x || cy !== y) counter.clamped += 1
    return [cx, cy]
  })
  if (!isRectangle(corners)) counter.fitted += 1
  const geometry: RboxGeometry = cornersToRbox(corners)
  return {
    kind: 'rbox',
    label: line.className,
    attributes: line.difficult === undefined ? {} : { difficult: line.difficult },
    sourceId: `${baseName(line.file)}:${line.line}`,
    geometry,
  }
}
