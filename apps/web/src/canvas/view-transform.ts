/** Screen position of image pixel (0, 0) and the screen pixels per image pixel. */
export type ViewTransform = { x: number; y: number; scale: number }

export type Point = { x: number; y: number }
export type Size = { width: number; height: number }

/** Zoom limits: below 1/50 a large image is a speck, above 64 one pixel fills a thumb. */
export const MIN_SCALE = 0.02
export const MAX_SCALE = 64

/** Margin around the image when fitting it, in screen pixels, so its edges stay grabbable. */
const FIT_MARGIN = 24

export function screenToImage(view: ViewTransform, p: Point): Point {
  return { x: (p.x - view.x) / view.scale, y: (p.y - view.y) / view.scale }
}

export function imageToScreen(view: ViewTransform, p: Point): Point {
  return { x: p.x * view.scale + view.x, y: p.y * view.scale + view.y }
}

/** Scales by `factor` while the image point under `anchor` (screen px) stays under it. */
export function zoomAt(view: ViewTransform, anchor: Point, factor: number): ViewTransform {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE)
  const under = screenToImage(view, anchor)
  return { scale, x: anchor.x - under.x * scale, y: anchor.y - under.y * scale }
}

/** Wheel delta to zoom factor; exponential so a scroll step feels the same at any zoom. */
export function wheelZoomFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY
  return Math.exp(-clamp(pixels, -200, 200) * 0.002)
}

export function panBy(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...view, x: view.x + dx, y: view.y + dy }
}

/** The largest scale (at most 1:1 for small images, never above) showing the whole image centred. */
export function fitToViewport(image: Size, viewport: Size): ViewTransform {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { x: 0, y: 0, scale: 1 }
  }
  const room = {
    width: Math.max(1, viewport.width - 2 * FIT_MARGIN),
    height: Math.max(1, viewport.height - 2 * FIT_MARGIN),
  }
  const scale = clamp(
    Math.min(room.width / image.width, room.height / image.height),
    MIN_SCALE,
    MAX_SCALE,
  )
  return {
    scale,
    x: (viewport.width - image.width * scale) / 2,
    y: (viewport.height - image.height * scale) / 2,
  }
}

/** Keeps the scale and moves the view so that an image point sits at the viewport centre. */
export function centreOn(view: ViewTransform, target: Point, viewport: Size): ViewTransform {
  return {
    scale: view.scale,
    x: viewport.width / 2 - target.x * view.scale,
    y: viewport.height / 2 - target.y * view.scale,
  }
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
