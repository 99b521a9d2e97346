import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeText, encodeJson } from '../common/json.ts'
import type { FileSet } from '../model.ts'
import { exportCoco, importCoco } from './index.ts'
import { writeCocoStream } from './stream.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const labelmeCoco = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco/annotations.json',
)

const fileSet = (value: unknown, name = 'annotations.json'): FileSet =>
  new Map([[name, encodeJson(value)]])
const readOut = (files: FileSet) => JSON.parse(decodeText([...files.values()][0]!))

const info = { description: 'street scenes', year: 2024, contributor: 'Concord' }
const licenses = [{ id: 3, name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' }]
const image = {
  id: 12,
  file_name: 'a.jpg',
  width: 40,
  height: 30,
  license: 3,
  coco_url: 'http://images.example/a.jpg',
  flickr_url: 'http://flickr.example/a.jpg',
  date_captured: '2013-11-14 11:18:45',
  camera: { make: 'Canon' },
}
const source = {
  info,
  licenses,
  images: [image, { id: 13, file_name: 'b.jpg', width: 8, height: 8 }],
  annotations: [{ id: 1, image_id: 12, category_id: 1, bbox: [1, 2, 3, 4] }],
  categories: [{ id: 1, name: 'car' }],
}

describe('COCO extra fields', () => {
  it('carries image fields beyond the size in item attributes', () => {
    const { dataset } = importCoco(fileSet(source))
    expect(dataset.items[0]!.attributes).toEqual({
      coco: {
        license: 3,
        coco_url: image.coco_url,
        flickr_url: image.flickr_url,
        date_captured: image.date_captured,
        camera: { make: 'Canon' },
      },
    })
    expect(dataset.items[1]!.attributes).toBeUndefined()
    expect(dataset.meta).toEqual({ coco: { info, licenses } })
  })

  it('writes image fields, info and licenses back on export', () => {
    const out = readOut(exportCoco(importCoco(fileSet(source)).dataset).files)
    expect(out.info).toEqual(info)
    expect(out.licenses).toEqual(licenses)
    const { id: _id, ...rest } = image
    expect(out.images[0]).toEqual({ id: 1, ...rest })
    expect(out.images[1]).toEqual({ id: 2, file_name: 'b.jpg', width: 8, height: 8 })
  })

  it('never lets a carried extra override the id, name or size written', () => {
    const { dataset } = importCoco(fileSet(source))
    const item = dataset.items[0]!
    item.attributes = { coco: { ...(item.attributes!.coco as object), id: 99, width: 1 } }
    const out = readOut(exportCoco(dataset).files)
    expect(out.images[0]).toMatchObject({ id: 1, file_name: 'a.jpg', width: 40, height: 30 })
  })

  it('writes the same extras in the streamed export', async () => {
    const { dataset } = importCoco(fileSet(source))
    const stream = writeCocoStream(dataset)
    let text = ''
    for await (const chunk of stream.chunks) text += chunk
    expect(JSON.parse(text)).toEqual(readOut(exportCoco(dataset).files))
    expect(JSON.parse(text).info).toEqual(info)
  })

  it('keeps the extras of a real COCO file through import and export', () => {
    const original = JSON.parse(readFileSync(labelmeCoco, 'utf8'))
    const out = readOut(exportCoco(importCoco(fileSet(original)).dataset).files)
    expect(out.info).toEqual(original.info)
    expect(out.licenses).toEqual(original.licenses)
    const strip = ({ id: _id, ...rest }: Record<string, unknown>) => rest
    expect(out.images.map(strip)).toEqual(original.images.map(strip))
  })
})
