import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { InterchangeRegion } from '@concord/shared/formats/model'
import { importYolo } from '@concord/shared/formats/yolo/index'
import { boundsOfPoints, rboxBounds } from '@concord/shared/geometry/index'
import { casesDir, imageSizes, readFolder, sizeOfImages } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'yolo-import-exif-rotated')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))

function xyxy(region: InterchangeRegion): number[] {
  const box =
    region.kind === 'bbox'
      ? region.geometry
      : region.kind === 'rbox'
        ? rboxBounds(region.geometry)
        : region.kind === 'polygon'
          ? boundsOfPoints(region.geometry.points)
          : undefined
  if (!box) throw new Error(`unexpected kind ${region.kind}`)
  return [box.x, box.y, box.x + box.w, box.y + box.h]
}

describe('yolo-import-exif-rotated', () => {
  it('the photo is stored sideways and displayed turned by its EXIF orientation', async () => {
    const sizes = await imageSizes(
      new Uint8Array(readFileSync(path.join(caseDir, 'images/photo.jpg'))),
    )
    expect([sizes.stored.width, sizes.stored.height]).toEqual(expected.stored_size_wh)
    expect([sizes.displayed.width, sizes.displayed.height]).toEqual(expected.displayed_size_wh)
  })

  it('scales normalised corners by the displayed size, not the stored one', async () => {
    const files = readFolder(caseDir)
    const { dataset } = importYolo(files, { sizeOf: await sizeOfImages(files) })
    expect(dataset.items).toHaveLength(1)
    const item = dataset.items[0]!
    expect([item.width, item.height]).toEqual(expected.displayed_size_wh)
    expect(item.regions).toHaveLength(1)
    const got = xyxy(item.regions[0]!)
    got.forEach((value, i) => expect(value).toBeCloseTo(expected.xyxy_expected[i], 6))
    expect(got.map(Math.round)).not.toEqual(expected.xyxy_wrong_if_scaled_by_stored_size)
  })
})
