import type { Point } from './polygon.ts'
import { rleFromBinary, rleToBinary, type Rle } from './rle.ts'

/**
 * EXIF orientations (1 to 8) as maps from the stored image to the displayed one. A tool that
 * ignores EXIF (LabelImg, older labelme) writes coordinates and size in the stored image; the
 * workspace holds them in the displayed one. `W` and `H` are the stored width and height.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8

/** The linear part of each orientation's map, `[a, b, c, d]` for `x' = a x + b y`, `y' = c x + d y`. */
const LINEAR: Record<Orientation, [number, number, number, number]> = {
  1: [1, 0, 0, 1],
  2: [-1, 0, 0, 1], // mirrored left to right
  3: [-1, 0, 0, -1], // turned half a turn
  4: [1, 0, 0, -1], // mirrored top to bottom
  5: [0, 1, 1, 0], // mirrored along the main diagonal
  6: [0, -1, 1, 0], // turned a quarter clockwise to display
  7: [0, -1, -1, 0], // mirrored along the other diagonal
  8: [0, 1, -1, 0], // turned a quarter anticlockwise to display
}

export function isOrientation(value: unknown): value is Orientation {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8
}

/** Whether an orientation turns the image a quarter, so that width and height trade places. */
export function swapsSides(orientation: Orientation): boolean {
  return orientation >= 5
}

/** The displayed size of an image stored `width` x `height`. */
export function displayedSize(orientation: Orientation, width: number, height: number) {
  return swapsSides(orientation) ? { width: height, height: width } : { width, height }
}

/**
 * Maps a point of the stored image (continuous pixels, origin top-left) to the displayed image:
 * the corner that ends up at the display's top-left goes to (0, 0).
 */
export function orientPoint(
  orientation: Orientation,
  width: number,
  height: number,
  [x, y]: Point,
): Point {
  const [a, b, c, d] = LINEAR[orientation]
  const shown = displayedSize(orientation, width, height)
  // A negative coefficient reflects an axis: the far edge of the displayed image is the origin.
  const px = a * x + b * y + (a < 0 || b < 0 ? shown.width : 0)
  const py = c * x + d * y + (c < 0 || d < 0 ? shown.height : 0)
  return [px, py]
}

/** A direction (an angle in degrees, clockwise on screen) as the orientation shows it. */
export function orientAngle(orientation: Orientation, angle: number): number {
  const [a, b, c, d] = LINEAR[orientation]
  const ux = Math.cos((angle * Math.PI) / 180)
  const uy = Math.sin((angle * Math.PI) / 180)
  const turned = (Math.atan2(c * ux + d * uy, a * ux + b * uy) * 180) / Math.PI
  return Math.abs(turned) < 1e-9 ? 0 : turned
}

/** A mask of the stored image as the displayed image shows it, pixel for pixel. */
export function orientRle(orientation: Orientation, rle: Rle): Rle {
  if (orientation === 1) return rle
  const { width, height } = rle
  const shown = displayedSize(orientation, width, height)
  const bits = rleToBinary(rle)
  const out = new Uint8Array(bits.length)
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (!bits[x * height + y]) continue
      // The pixel's centre lands in the centre of its displayed pixel.
      const [px, py] = orientPoint(orientation, width, height, [x + 0.5, y + 0.5])
      out[Math.floor(px) * shown.height + Math.floor(py)] = 1
    }
  }
  return rleFromBinary(out, shown.width, shown.height)
}
