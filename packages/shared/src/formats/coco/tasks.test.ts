import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { encodeJson } from '../common/json.ts'
import type { FileSet } from '../model.ts'
import { unzipToFileSet, zipFileSet } from '../zip.ts'
import { importCoco } from './index.ts'

const DATUMARO_COCO = '../shared/data/datumaro/tests/assets/coco_dataset/coco'

function readTree(root: string, dir = ''): FileSet {
  const files: FileSet = new Map()
  for (const name of readdirSync(`${root}/${dir}`)) {
    const path = dir ? `${dir}/${name}` : name
    if (statSync(`${root}/${path}`).isDirectory()) {
      for (const [p, bytes] of readTree(root, path)) files.set(p, bytes)
    } else files.set(path, readFileSync(`${root}/${path}`))
  }
  return files
}

describe('COCO import of several tasks at once', () => {
  it('reads instances, keypoints and labels of a zipped COCO folder, skipping the rest by name', () => {
    const files = unzipToFileSet(zipFileSet(readTree(DATUMARO_COCO)))
    const { dataset, report } = importCoco(files)

    expect(dataset.items.map((i) => i.key).sort()).toEqual(['train:a.jpg', 'val:b.jpg'])
    const val = dataset.items.find((i) => i.key === 'val:b.jpg')!
    expect(val.tags).toEqual(['a', 'b'])
    const kinds = val.regions.map((r) => `${r.kind}:${r.label}`)
    expect(kinds.filter((k) => k.startsWith('keypoints'))).toEqual(['keypoints:a', 'keypoints:b'])
    // instances_val (a polygon and a crowd mask), then person_keypoints_val, then stuff_val.
    expect(kinds).toEqual([
      'polygon:a',
      'mask:b',
      'polygon:a',
      'keypoints:a',
      'mask:b',
      'keypoints:b',
      'mask:b',
    ])
    expect(dataset.labels.map((l) => l.name)).toEqual(['a', 'b', 'c'])

    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped.map((w) => w.file).sort()).toEqual([
      'annotations/captions_train.json',
      'annotations/captions_val.json',
      'annotations/image_info_train.json',
      'annotations/image_info_val.json',
      'annotations/panoptic_train.json',
      'annotations/panoptic_val.json',
    ])
    const why = (file: string) => skipped.find((w) => w.file === `annotations/${file}`)?.message
    expect(why('captions_val.json')).toMatch(/caption/)
    expect(why('panoptic_val.json')).toMatch(/panoptic/)
    expect(why('image_info_val.json')).toMatch(/images only/)
    expect(report.warnings.filter((w) => w.code === 'other')).toEqual([])
  })

  it('reads a file of images only when no other file has annotations', () => {
    const info = { images: [{ id: 1, file_name: 'a.jpg', width: 4, height: 3 }], annotations: [] }
    const { dataset, report } = importCoco(
      new Map([
        ['image_info_test.json', encodeJson(info)],
        [
          'captions_test.json',
          encodeJson({ ...info, annotations: [{ id: 1, image_id: 1, caption: 'x' }] }),
        ],
      ]),
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['test:a.jpg'])
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'skipped', file: 'captions_test.json' }),
    ])
  })
})
