import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { baseName, stripExt } from '@concord/shared/formats/paths'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { dataDir, readFolder, sizeOfImages, text } from '../support/image-folder.ts'

const root = path.join(dataDir, 'label-studio-converter/tests/data')
const folders = ['test_import_yolo_data', 'test_import_yolo_data_unif_dims']

const rows = (content: string) =>
  content
    .split('\n')
    .filter((row) => row.trim() !== '')
    .map((row) => row.trim().split(/\s+/).map(Number))

describe.each(folders)('YOLO labels of real photos (%s)', (folder) => {
  const load = async () => {
    const files = readFolder(path.join(root, folder))
    const sizeOf = await sizeOfImages(files)
    return { files, sizeOf, ...importYolo(files, { sizeOf }) }
  }

  it('imports every photo with its boxes, named by classes.txt, without warnings', async () => {
    const { files, sizeOf, dataset, report } = await load()
    const images = [...files.keys()].filter((k) => k.startsWith('images/'))
    expect(dataset.items).toHaveLength(images.length)
    expect(dataset.labels.map((l) => l.name)).toEqual(
      text(files, 'classes.txt').trim().split(/\r?\n/),
    )
    expect(report.warnings).toEqual([])
    for (const image of images) {
      const item = dataset.items.find((i) => i.path === baseName(image))!
      const size = sizeOf(image)!
      expect([item.width, item.height]).toEqual([size.width, size.height])
      const label = rows(text(files, `labels/${stripExt(baseName(image))}.txt`))
      expect(item.regions).toHaveLength(label.length)
      item.regions.forEach((region, i) => {
        const [cls, xc, , w] = label[i]!
        expect(region.label).toBe(dataset.labels[cls!]!.name)
        const box = region.geometry as { x: number; y: number; w: number; h: number }
        expect(box.x).toBeCloseTo((xc! - w! / 2) * size.width, 6)
        expect(box.x + box.w).toBeLessThanOrEqual(size.width + 1e-9)
        expect(box.y + box.h).toBeLessThanOrEqual(size.height + 1e-9)
      })
    }
  })

  it('exports the same label lines again, to 6 decimals', async () => {
    const { files, dataset } = await load()
    const out = exportYolo(dataset).files
    for (const item of dataset.items) {
      const stem = stripExt(item.path)
      const original = rows(text(files, `labels/${stem}.txt`))
      const written = rows(text(out, `labels/train/${stem}.txt`))
      expect(written).toHaveLength(original.length)
      written.forEach((row, i) => {
        expect(row[0]).toBe(original[i]![0])
        row
          .slice(1)
          .forEach((v, j) =>
            expect(Math.abs(v - original[i]![j + 1]!)).toBeLessThanOrEqual(5e-7 + 1e-12),
          )
      })
    }
  })
})
