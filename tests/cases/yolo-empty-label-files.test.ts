import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { baseName, stripExt } from '@concord/shared/formats/paths'
import { casesDir, readFolder, sizeOfImages, text } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'yolo-empty-label-files')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const stems = Object.keys(expected).filter((k) => typeof expected[k] === 'object')

describe('yolo-empty-label-files', () => {
  const load = async () => {
    const files = readFolder(caseDir)
    return importYolo(files, { sizeOf: await sizeOfImages(files) })
  }

  it('keeps every image as an item, with or without a label file', async () => {
    const { dataset } = await load()
    expect(dataset.items).toHaveLength(expected.items)
    for (const stem of stems) {
      const item = dataset.items.find((i) => stripExt(baseName(i.path)) === stem)
      expect(item, stem).toBeDefined()
      expect(item!.regions).toHaveLength(expected[stem].annotations)
      if (expected[stem].bbox_xywh_px) {
        const box = item!.regions[0]!.geometry as Record<string, number>
        const got = [box.x, box.y, box.w, box.h]
        got.forEach((v, i) => expect(v).toBeCloseTo(expected[stem].bbox_xywh_px[i], 6))
      }
    }
  })

  it('writes a label file for every item on export, empty for those without regions', async () => {
    const { dataset } = await load()
    const { files } = exportYolo(dataset)
    for (const stem of stems) {
      const label = [...files.keys()].find(
        (k) => k.startsWith('labels/') && stripExt(baseName(k)) === stem,
      )
      expect(label, stem).toBeDefined()
      const rows = text(files, label!)
        .split('\n')
        .filter((row) => row !== '')
      expect(rows).toHaveLength(expected[stem].annotations)
    }
  })
})
