import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCvat, importCvat } from '@concord/shared/formats/cvat/index'
import type { FileSet, InterchangeDataset } from '@concord/shared/formats/model'
import { exportVoc, importVoc } from '@concord/shared/formats/voc/index'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { dataDir, readFolder, sizeOfImages } from '../support/image-folder.ts'

const assets = path.join(dataDir, 'datumaro/tests/assets')

/** Asserts two imports hold the same items and regions, numbers within `tolerance` pixels. */
function expectSame(got: InterchangeDataset, want: InterchangeDataset, tolerance = 1e-4): void {
  const byKey = (d: InterchangeDataset) => [...d.items].sort((a, b) => a.key.localeCompare(b.key))
  const a = byKey(got)
  const b = byKey(want)
  expect(a.map((i) => i.key)).toEqual(b.map((i) => i.key))
  a.forEach((item, i) => {
    expect(item.regions.map((r) => [r.kind, r.label])).toEqual(
      b[i]!.regions.map((r) => [r.kind, r.label]),
    )
    item.regions.forEach((region, j) =>
      expectClose(region.geometry, b[i]!.regions[j]!.geometry, tolerance),
    )
  })
}

function expectClose(got: unknown, want: unknown, tolerance: number): void {
  if (typeof want === 'number')
    return expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(tolerance)
  if (want && typeof want === 'object') {
    expect(Object.keys(got as object).sort()).toEqual(Object.keys(want).sort())
    for (const [key, value] of Object.entries(want))
      expectClose((got as Record<string, unknown>)[key], value, tolerance)
    return
  }
  expect(got).toEqual(want)
}

/** Export results list where each item's image goes; put a copy of the image there. */
function withImages(
  files: FileSet,
  source: FileSet,
  sourcePath: (key: string) => string | undefined,
  images: Map<string, string>,
): FileSet {
  for (const [key, target] of images) {
    const bytes = sourcePath(key) && source.get(sourcePath(key)!)
    files.set(target, bytes || new Uint8Array())
  }
  return files
}

describe('datumaro YOLO fixtures', () => {
  it.each(['strict', 'labels', 'annotations'])(
    'imports the %s layout and exports it again',
    async (layout) => {
      const source = readFolder(path.join(assets, 'yolo_dataset', layout))
      const sizeOf = await sizeOfImages(source)
      const { dataset, report } = importYolo(source, { sizeOf })
      expect(dataset.labels).toHaveLength(10)
      expect(dataset.items.length).toBeGreaterThan(0)
      expect(dataset.items.every((i) => i.regions.length === 2)).toBe(true)
      expect(report.warnings.filter((w) => w.code !== 'clamped')).toEqual([])
      const imageOf = new Map<string, string>()
      for (const file of source.keys()) {
        const match = dataset.items.find((i) => file.endsWith(i.path) && file.includes(i.subset))
        if (match && /\.jpg$/.test(file)) imageOf.set(match.key, file)
      }
      const exported = exportYolo(dataset)
      const files = withImages(exported.files, source, (k) => imageOf.get(k), exported.images)
      const back = importYolo(files, { sizeOf: await sizeOfImages(files) }).dataset
      expectSame(back, dataset)
    },
  )
})

describe('datumaro VOC fixtures', () => {
  it.each(['voc_dataset1', 'voc_dataset2', 'voc_dataset3'])(
    'imports %s and exports it again',
    async (name) => {
      const source = readFolder(path.join(assets, 'voc_dataset', name))
      const { dataset } = importVoc(source, { sizeOf: await sizeOfImages(source) })
      expect(dataset.items.length).toBeGreaterThan(0)
      const back = importVoc(exportVoc(dataset).files).dataset
      expectSame(back, dataset)
      expect(back.items.map((i) => i.key).sort()).toEqual(dataset.items.map((i) => i.key).sort())
    },
  )

  it('reads an annotation with no <size> and no objects as an item with no regions', () => {
    const { dataset } = importVoc(readFolder(path.join(assets, 'voc_dataset/voc_dataset2')))
    const at = dataset.items.find((i) => i.path === '@.jpg')
    expect(at?.regions).toEqual([])
  })

  it('keeps person parts and actions of voc_dataset1', () => {
    const { dataset } = importVoc(readFolder(path.join(assets, 'voc_dataset/voc_dataset1')))
    const regions = dataset.items.flatMap((i) => i.regions)
    const person = regions.find((r) => r.label === 'person')!
    const head = regions.find((r) => r.label === 'head')!
    expect(person.attributes).toMatchObject({ jumping: false, phoning: true })
    expect(head.group).toBe(person.group)
    expect(head.geometry).toEqual({ x: 4.5, y: 5, w: 3, h: 3 })
  })
})

describe('datumaro CVAT fixtures', () => {
  it.each(['for_images/export_project', 'for_images/export_task', 'for_video'])(
    'imports %s and exports it again',
    (folder) => {
      const { dataset } = importCvat(readFolder(path.join(assets, 'cvat_dataset', folder)))
      expect(dataset.items.length).toBeGreaterThan(0)
      const back = importCvat(exportCvat(dataset).files).dataset
      expectSame(back, dataset)
    },
  )
})
