import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCoco } from '@concord/shared/formats/coco/index'
import { importLabelStudio } from '@concord/shared/formats/labelstudio/index'
import { baseName } from '@concord/shared/formats/paths'
import { exportYolo } from '@concord/shared/formats/yolo/index'
import { casesDir, readOne, text } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'image-without-boxes-kept')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const load = () => importLabelStudio(readOne(path.join(caseDir, 'input_labelstudio.json'))).dataset

describe('image-without-boxes-kept', () => {
  it('keeps both images in the COCO export, one of them without annotations', () => {
    const files = exportCoco(load()).files
    const coco = JSON.parse(new TextDecoder().decode([...files.values()][0]))
    expect(files.size).toBe(1)
    expect(coco.images).toHaveLength(expected.coco.images)
    expect(coco.annotations).toHaveLength(expected.coco.annotations)
    coco.annotations[0].bbox.forEach((v: number, i: number) =>
      expect(v).toBeCloseTo(expected.coco.bbox_task1[i], 6),
    )
  })

  it('writes a YOLO label file for each image, empty for the one without boxes', () => {
    const { files } = exportYolo(load())
    const byName = new Map(
      [...files.keys()].filter((k) => k.startsWith('labels/')).map((k) => [baseName(k), k]),
    )
    for (const [name, content] of Object.entries(expected.yolo as Record<string, string>)) {
      const file = byName.get(name)
      expect(file, name).toBeDefined()
      const written = text(files, file!).trim()
      if (content.startsWith('(empty')) expect(written).toBe('')
      else expect(written).toBe(content)
    }
  })
})
