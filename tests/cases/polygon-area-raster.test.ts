import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exportCoco, importCoco } from '@concord/shared/formats/coco/index'
import {
  pairPoints,
  polygonArea,
  rasterizePolygon,
  rleArea,
  rleBbox,
  rleFromBinary,
  rleIou,
} from '@concord/shared/geometry/index'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const caseDir = path.resolve(repoRoot, '../shared/cases/polygon-area-raster')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const input = JSON.parse(readFileSync(path.join(caseDir, 'input_segmentation.json'), 'utf8'))
const polygon = { points: pairPoints(input.segmentation[0]) }

/** Areas agree within this many pixels: a raster and a polygon may differ by part of a row. */
const AREA_TOLERANCE = 1

describe('polygon-area-raster', () => {
  it('measures the polygon by shoelace as pycocotools does', () => {
    expect(polygon.points.flat()).toEqual(expected.polygon)
    expect(Math.abs(polygonArea(polygon) - expected.pycocotools_area)).toBeLessThanOrEqual(
      AREA_TOLERANCE,
    )
  })

  it('rasterises it to the pixels pycocotools covers', () => {
    const mask = rasterizePolygon(polygon, input.width, input.height)
    expect(Math.abs(rleArea(mask) - expected.pycocotools_area)).toBeLessThanOrEqual(AREA_TOLERANCE)
    const box = rleBbox(mask)
    expect([box.x, box.x + box.w - 1]).toEqual(expected.mask_pixels_x_range)
  })

  it('exports the polygon with its bounds as bbox and its shoelace area', () => {
    const coco = {
      images: [{ id: 1, file_name: 'p.png', width: input.width, height: input.height }],
      categories: [{ id: 1, name: 'square' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, segmentation: input.segmentation }],
    }
    const files = new Map([['p.json', new TextEncoder().encode(JSON.stringify(coco))]])
    const out = JSON.parse(
      new TextDecoder().decode([...exportCoco(importCoco(files).dataset).files.values()][0]),
    )
    expect(out.annotations[0].bbox).toEqual(expected.pycocotools_bbox)
    expect(Math.abs(out.annotations[0].area - expected.pycocotools_area)).toBeLessThanOrEqual(
      AREA_TOLERANCE,
    )
  })

  it('gives a 10x10 pixel mask a 10-pixel bbox and IoU with the polygon as expected', () => {
    const bits = new Uint8Array(input.width * input.height)
    for (let x = 0; x < 10; x++) bits.fill(1, x * input.height, x * input.height + 10)
    const square = rleFromBinary(bits, input.width, input.height)
    const b = rleBbox(square)
    expect([b.x, b.y, b.w, b.h]).toEqual(expected.mask_10x10_pixels_bbox)
    const iou = rleIou(rasterizePolygon(polygon, input.width, input.height), square)
    expect(iou).toBeCloseTo(expected.iou_polygon_vs_10x10_mask, 2)
  })
})
