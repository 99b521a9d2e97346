import { describe, expect, it } from 'vitest'
import { FORMAT_NAMES, FORMATS } from './index.ts'
import type { InterchangeDataset } from './model.ts'

const dataset: InterchangeDataset = {
  labels: [{ name: 'car' }],
  items: [
    {
      key: 'a.jpg',
      subset: '',
      path: 'a.jpg',
      width: 100,
      height: 80,
      tags: [],
      regions: [
        { kind: 'bbox', label: 'car', attributes: {}, geometry: { x: 10, y: 20, w: 30, h: 40 } },
      ],
    },
  ],
}

/**
 * What import needs besides the files, for formats whose files do not name their images: COCO
 * results carry only ids, and a YOLO export holds labels, with the images listed beside it.
 */
const importOptions = (name: string, exported: Record<string, unknown>): unknown => {
  if (name === 'coco-results') {
    return {
      images: [{ id: 1, path: 'a.jpg', width: 100, height: 80 }],
      categories: [{ id: 1, name: 'car' }],
    }
  }
  if (name === 'yolo') {
    return {
      images: [...(exported.images as Map<string, string>).values()],
      sizeOf: () => ({ width: 100, height: 80 }),
    }
  }
  return undefined
}

describe('format registry', () => {
  it('has an entry for every format name', () => {
    expect(Object.keys(FORMATS).sort()).toEqual([...FORMAT_NAMES].sort())
  })

  for (const name of FORMAT_NAMES) {
    it(`${name}: the images of an export with images are never read as annotations`, () => {
      const entry = FORMATS[name]
      const exported = entry.export(dataset)
      const files = new Map(exported.files)
      // Placed as the server places them: where the format says, else at the item's path.
      const placed = (exported as { images?: Map<string, string> }).images
      const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46])
      files.set(placed?.get('a.jpg') ?? 'a.jpg', jpeg)
      files.set('more/b.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
      const back = entry.import(files, importOptions(name, exported)).dataset
      expect(back.items.flatMap((i) => i.regions)).toHaveLength(1)
    })

    it(`${name}: a box exported through the registry imports back at the same place`, () => {
      const entry = FORMATS[name]
      const exported = entry.export(dataset)
      expect(exported.files.size).toBeGreaterThan(0)
      const back = entry.import(exported.files, importOptions(name, exported)).dataset
      const regions = back.items.flatMap((i) => i.regions)
      expect(regions).toHaveLength(1)
      const region = regions[0]!
      expect(region.label).toBe('car')
      expect(region.kind).toBe('bbox')
      if (region.kind !== 'bbox') return
      for (const k of ['x', 'y', 'w', 'h'] as const) {
        expect(
          Math.abs(region.geometry[k] - dataset.items[0]!.regions[0]!.geometry[k as never]),
        ).toBeLessThan(1e-3)
      }
    })
  }
})
