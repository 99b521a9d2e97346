import { z } from 'zod'

/** Shape kinds a region may have. `span` and `segment` arrive with text and audio assets. */
export const REGION_KINDS = ['bbox', 'rbox', 'polygon', 'polyline', 'point', 'keypoints', 'mask'] as const
export type RegionKind = (typeof REGION_KINDS)[number]

const finite = z.number().finite()
const nonNegative = finite.nonnegative()
const point = z.tuple([finite, finite])

/** Axis-aligned box in displayed-image pixels, origin top-left. */
export const bboxGeometry = z.object({ x: finite, y: finite, w: nonNegative, h: nonNegative })
/** Rotated box: centre, size, angle in degrees clockwise. */
export const rboxGeometry = z.object({
  cx: finite,
  cy: finite,
  w: nonNegative,
  h: nonNegative,
  angle: finite,
})
/** Polygon with optional holes; `parts` carries further outer rings of one object (COCO multi-part). */
export const polygonGeometry = z.object({
  points: z.array(point).min(3),
  holes: z.array(z.array(point).min(3)).optional(),
  parts: z.array(z.array(point).min(3)).optional(),
})
export const polylineGeometry = z.object({ points: z.array(point).min(2) })
export const pointGeometry = z.object({ x: finite, y: finite })
/** COCO visibility: 0 not labelled, 1 labelled but hidden, 2 visible. */
export const keypointsGeometry = z.object({
  points: z.array(z.object({ x: finite, y: finite, v: z.union([z.literal(0), z.literal(1), z.literal(2)]) })),
})
/** Run-length mask in COCO's column-major uncompressed form, sized to the image. */
export const maskGeometry = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  counts: z.array(z.number().int().nonnegative()),
})

export type BboxGeometry = z.infer<typeof bboxGeometry>
export type RboxGeometry = z.infer<typeof rboxGeometry>
export type PolygonGeometry = z.infer<typeof polygonGeometry>
export type PolylineGeometry = z.infer<typeof polylineGeometry>
export type PointGeometry = z.infer<typeof pointGeometry>
export type KeypointsGeometry = z.infer<typeof keypointsGeometry>
export type MaskGeometry = z.infer<typeof maskGeometry>

export const geometrySchemas = {
  bbox: bboxGeometry,
  rbox: rboxGeometry,
  polygon: polygonGeometry,
  polyline: polylineGeometry,
  point: pointGeometry,
  keypoints: keypointsGeometry,
  mask: maskGeometry,
} as const

export type GeometryOf<K extends RegionKind> = z.infer<(typeof geometrySchemas)[K]>

/** A region as plain data: what the document holds, read out of Yjs. */
export type Region = {
  [K in RegionKind]: {
    id: string
    kind: K
    labelId: string
    geometry: GeometryOf<K>
    attributes: Record<string, unknown>
    source: 'human' | 'model'
    score: number | null
    createdBy: string
    updatedBy: string
    createdAt: number
    updatedAt: number
    guidelineVersion: number | null
  }
}[RegionKind]

export type RegionOfKind<K extends RegionKind> = Extract<Region, { kind: K }>

/** Parses geometry for a kind, returning null when it does not fit the schema. */
export function parseGeometry<K extends RegionKind>(kind: K, value: unknown): GeometryOf<K> | null {
  const parsed = geometrySchemas[kind].safeParse(value)
  return parsed.success ? (parsed.data as GeometryOf<K>) : null
}

export function isRegionKind(value: unknown): value is RegionKind {
  return typeof value === 'string' && (REGION_KINDS as readonly string[]).includes(value)
}
