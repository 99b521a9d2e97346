import { describe, expect, it } from 'vitest'
import type { InterchangeDataset, InterchangeItem, InterchangeRegion } from '../model.ts'
import { unzipToFileSet, zipFileSet } from '../zip.ts'
import { exportYolo, importYolo } from './index.ts'

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0])
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

const box = (label: string, x: number, y: number): InterchangeRegion => ({
  kind: 'bbox',
  label,
  attributes: {},
  geometry: { x, y, w: 20, h: 10 },
})

function item(subset: string, path: string, regions: InterchangeRegion[]): InterchangeItem {
  const key = subset ? `${subset}:${path}` : path
  return { key, subset, path, width: 200, height: 100, regions, tags: [] }
}

/** Item key to its regions as label and rounded box, for comparing a round trip. */
function regionsByKey(dataset: InterchangeDataset): Record<string, string[]> {
  return Object.fromEntries(
    dataset.items.map((i) => [
      i.key,
      i.regions.map((r) => {
        const g = r.geometry as Record<string, number>
        return `${r.label} ${['x', 'y', 'w', 'h'].map((k) => g[k]!.toFixed(3)).join(' ')}`
      }),
    ]),
  )
}

describe('YOLO export with images, imported again', () => {
  for (const subset of ['', 'train', 'Validation']) {
    it(`gives back a.jpg, a.png and sub/a.jpg with their regions (subset "${subset}")`, () => {
      const source: InterchangeDataset = {
        labels: [{ name: 'car' }, { name: 'bus' }],
        items: [
          item(subset, 'a.jpg', [box('car', 10, 10)]),
          item(subset, 'a.png', [box('bus', 50, 20), box('car', 100, 40)]),
          item(subset, 'sub/a.jpg', [box('bus', 150, 80)]),
          item(subset, 'b.jpg', []),
        ],
      }
      const { files, images } = exportYolo(source)
      for (const [key, path] of images) files.set(path, key.endsWith('.png') ? PNG : JPEG)
      expect(images.get(source.items[1]!.key)).toMatch(/a_png\.png$/)

      // As downloaded, and as unpacked into a folder and zipped again.
      const wrapped = new Map([...files].map(([path, bytes]) => [`my-export/${path}`, bytes]))
      for (const [prefix, set] of [['', files] as const, ['my-export/', wrapped] as const]) {
        const unzipped = unzipToFileSet(zipFileSet(set))
        const back = importYolo(unzipped, { sizeOf: () => ({ width: 200, height: 100 }) })
        expect(back.dataset.items.map((i) => [i.subset, i.path]).sort()).toEqual(
          source.items.map((i) => [i.subset, i.path]).sort(),
        )
        expect(regionsByKey(back.dataset)).toEqual(regionsByKey(source))
        // Each item says which file of the zip is its image, renamed or not.
        expect(back.imageFiles).toEqual(
          new Map([...images].map(([key, path]) => [key, `${prefix}${path}`])),
        )
        expect(back.report.warnings).toEqual([])
      }
    })
  }
})
