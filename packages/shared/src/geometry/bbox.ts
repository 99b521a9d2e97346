/** An axis-aligned box in pixels. */
export type Box = { x: number; y: number; w: number; h: number }

/**
 * Clips a box to the image `[0, width] x [0, height]`. Returns the clipped box and whether
 * anything changed, so callers can count clips in their report. A box wholly outside the image
 * becomes a zero-size box on the nearest edge rather than one with negative size.
 */
export function clipBbox(box: Box, width: number, height: number): { box: Box; clipped: boolean } {
  // Recomputing an inside box as x1 - x0 could change w in the last bit; leave it alone.
  if (box.x >= 0 && box.y >= 0 && box.x + box.w <= width && box.y + box.h <= height) {
    return { box, clipped: false }
  }
  const x0 = clamp(box.x, 0, width)
  const y0 = clamp(box.y, 0, height)
  const x1 = clamp(box.x + box.w, 0, width)
  const y1 = clamp(box.y + box.h, 0, height)
  const clipped = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) }
  return { box: clipped, clipped: true }
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value
}

/** Intersection over union of two boxes; 0 when both are empty. */
export function bboxIou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x))
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))
  const inter = ix * iy
  const union = a.w * a.h + b.w * b.h - inter
  return union > 0 ? inter / union : 0
}
