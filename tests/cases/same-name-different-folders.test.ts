import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCoco } from '@concord/shared/formats/coco/index'
import { importCvat } from '@concord/shared/formats/cvat/index'
import { exportVoc, importVoc } from '@concord/shared/formats/voc/index'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { casesDir, readFolder, readOne } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'same-name-different-folders')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const load = () => importCvat(readOne(path.join(caseDir, 'annotations.xml')))

describe('same-name-different-folders', () => {
  it('keys items by subset and full relative path', () => {
    const { dataset } = load()
    expect(dataset.items).toHaveLength(expected.items)
    expect(dataset.items.map((i) => i.key)).toEqual(expected.item_keys)
  })

  it('exports distinct COCO images that keep the folders, one file per subset or not', () => {
    const { dataset } = load()
    const { files } = exportCoco(dataset)
    const images: string[] = []
    for (const [file, bytes] of files) {
      const coco = JSON.parse(new TextDecoder().decode(bytes))
      for (const image of coco.images) images.push(`${file}|${image.file_name}`)
    }
    expect(new Set(images).size).toBe(dataset.items.length)
    for (const item of dataset.items) expect(images.some((n) => n.endsWith(item.path))).toBe(true)
  })

  it('exports distinct YOLO label files and reads each box back to its own item', () => {
    const { dataset } = load()
    const { files, images } = exportYolo(dataset)
    for (const image of images.values()) files.set(image, new Uint8Array([0xff, 0xd8]))
    const back = importYolo(files, { sizeOf: () => ({ width: 8, height: 8 }) }).dataset
    expect(back.items.map((i) => i.key).sort()).toEqual([...expected.item_keys].sort())
    for (const item of dataset.items) {
      const read = back.items.find((i) => i.key === item.key)!
      expect(read.regions.map((r) => r.geometry)).toEqual(item.regions.map((r) => r.geometry))
    }
  })

  it('exports distinct VOC annotation files, one per item', () => {
    const { dataset } = load()
    const { files } = exportVoc(dataset)
    const annotations = [...files.keys()].filter((k) => k.startsWith('Annotations/'))
    expect(annotations).toHaveLength(dataset.items.length)
    expect(importVoc(files).dataset.items).toHaveLength(dataset.items.length)
  })

  it('keeps the real CVAT project export with one file name in three subsets apart', () => {
    const dir = path.resolve(caseDir, expected.real_data.split('/images/')[0])
    const { dataset } = importCvat(readFolder(dir))
    const names = new Set(dataset.items.map((i) => i.path))
    expect(new Set(dataset.items.map((i) => i.key)).size).toBe(dataset.items.length)
    expect(dataset.items.length).toBe(names.size * new Set(dataset.items.map((i) => i.subset)).size)
  })
})
