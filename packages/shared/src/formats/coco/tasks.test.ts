import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeText, encodeJson } from '../common/json.ts'
import type { FileSet } from '../model.ts'
import { unzipToFileSet, zipFileSet } from '../zip.ts'
import { exportCoco, importCoco } from './index.ts'

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
    // instances_val has a polygon and a crowd mask; person_keypoints_val repeats both with
    // keypoints, which join them; stuff_val repeats the mask, which is not added again.
    expect(kinds).toEqual(['polygon:a', 'keypoints:a', 'mask:b', 'keypoints:b'])
    const groups = val.regions.map((r) => r.group)
    expect(groups[0]).toBe(groups[1])
    expect(groups[2]).toBe(groups[3])
    expect(groups[0]).not.toBe(groups[2])
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
    const joined = report.warnings.filter((w) => w.code === 'other')
    expect(joined.map((w) => [w.file, w.count]).sort()).toEqual([
      ['annotations/person_keypoints_train.json', 1],
      ['annotations/person_keypoints_val.json', 2],
      ['annotations/stuff_val.json', 1],
    ])
    expect(joined[0]?.message).toMatch(/joined/)
  })

  it('lists the panoptic PNGs of a zipped COCO folder as no images, and only those', () => {
    const files = unzipToFileSet(zipFileSet(readTree(DATUMARO_COCO)))
    expect(importCoco(files).notImages.sort()).toEqual([
      'annotations/panoptic_train/a.png',
      'annotations/panoptic_val/b.png',
    ])
  })

  it('lists the PNGs a panoptic file names in the folder of its name, whatever that is', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47])
    const image = { id: 1, file_name: 'a.png', width: 4, height: 3 }
    const segments = {
      images: [image],
      categories: [{ id: 1, name: 'a' }],
      annotations: [{ image_id: 1, file_name: 'a.png', segments_info: [] }],
    }
    const files: FileSet = new Map([
      ['instances.json', encodeJson({ ...segments, annotations: [] })],
      ['segments.json', encodeJson(segments)],
      ['segments/a.png', png],
      ['a.png', png],
      ['images/a.png', png],
    ])
    expect(importCoco(files).notImages).toEqual(['segments/a.png'])
  })

  it('takes a panoptic folder holding the annotation files for the dataset, not for PNGs', () => {
    const files = readTree(DATUMARO_COCO)
    const zipped: FileSet = new Map(
      [...files].map(([path, bytes]) => [`panoptic_demo/${path}`, bytes]),
    )
    expect(importCoco(zipped).notImages.sort()).toEqual([
      'panoptic_demo/annotations/panoptic_train/a.png',
      'panoptic_demo/annotations/panoptic_val/b.png',
    ])
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

describe('COCO annotations repeated by the files of several tasks', () => {
  const person = { id: 1, name: 'person', keypoints: ['nose', 'eye'], skeleton: [[1, 2]] }
  const image = { id: 9, file_name: 'p.jpg', width: 60, height: 40 }
  const outline = {
    id: 101,
    image_id: 9,
    category_id: 1,
    segmentation: [[10, 10, 30, 10, 30, 35, 10, 35]],
    bbox: [10, 10, 20, 25],
    area: 500,
    iscrowd: 0,
  }
  const withKeypoints = { ...outline, keypoints: [15, 12, 2, 25, 12, 1], num_keypoints: 2 }
  const cocoFolder = (instances: unknown[], keypoints: unknown[]): FileSet =>
    new Map([
      [
        'annotations/instances_val2017.json',
        encodeJson({ images: [image], categories: [person], annotations: instances }),
      ],
      [
        'annotations/person_keypoints_val2017.json',
        encodeJson({ images: [image], categories: [person], annotations: keypoints }),
      ],
    ])

  it('joins the person of person_keypoints to the same person of instances, counting the join', () => {
    const { dataset, report } = importCoco(cocoFolder([outline], [withKeypoints]))

    const [item] = dataset.items
    expect(item!.regions.map((r) => r.kind)).toEqual(['polygon', 'keypoints'])
    expect(item!.regions[0]!.group).toBeDefined()
    expect(item!.regions[1]!.group).toBe(item!.regions[0]!.group)
    expect(report.warnings).toEqual([
      expect.objectContaining({
        code: 'other',
        file: 'annotations/person_keypoints_val2017.json',
        count: 1,
        message: expect.stringMatching(/joined/),
      }),
    ])

    const out = JSON.parse(decodeText([...exportCoco(dataset).files.values()][0]!))
    expect(out.annotations).toHaveLength(1)
    expect(out.annotations[0]).toMatchObject({
      segmentation: outline.segmentation,
      bbox: outline.bbox,
      keypoints: withKeypoints.keypoints,
      num_keypoints: 2,
    })
  })

  it("gives the label the keypoint names and skeleton of person_keypoints when instances' person has none", () => {
    const { keypoints: _k, skeleton: _s, ...plain } = person
    const files: FileSet = new Map([
      [
        'annotations/instances_val2017.json',
        encodeJson({ images: [image], categories: [plain], annotations: [outline] }),
      ],
      [
        'annotations/person_keypoints_val2017.json',
        encodeJson({ images: [image], categories: [person], annotations: [withKeypoints] }),
      ],
    ])
    const { dataset } = importCoco(files)
    expect(dataset.labels).toEqual([
      { name: 'person', keypoints: ['nose', 'eye'], skeleton: [[1, 2]] },
    ])
    const out = JSON.parse(decodeText([...exportCoco(dataset).files.values()][0]!))
    expect(out.categories[0]).toMatchObject({ keypoints: ['nose', 'eye'], skeleton: [[1, 2]] })
  })

  it('joins a keypoints copy that gives only the box of the outline it repeats', () => {
    const { segmentation: _, ...boxOnly } = withKeypoints
    const { dataset } = importCoco(cocoFolder([outline], [boxOnly]))
    expect(dataset.items[0]!.regions.map((r) => r.kind)).toEqual(['polygon', 'keypoints'])
  })

  it('keeps apart, with a warning, a copy whose shape differs or whose category differs', () => {
    const moved = { ...withKeypoints, segmentation: [[0, 0, 5, 0, 5, 5]], bbox: [0, 0, 5, 5] }
    const other = { ...withKeypoints, category_id: 2 }
    const categories = [person, { id: 2, name: 'ghost' }]
    const files: FileSet = new Map([
      [
        'annotations/instances_val2017.json',
        encodeJson({ images: [image], categories, annotations: [outline] }),
      ],
      [
        'annotations/person_keypoints_val2017.json',
        encodeJson({ images: [image], categories, annotations: [moved, { ...other, id: 102 }] }),
      ],
    ])
    const { dataset, report } = importCoco(files)
    const kinds = dataset.items[0]!.regions.map((r) => `${r.kind}:${r.label}`)
    expect(kinds).toEqual([
      'polygon:person',
      'polygon:person',
      'keypoints:person',
      'polygon:ghost',
      'keypoints:ghost',
    ])
    expect(report.warnings).toEqual([
      expect.objectContaining({ code: 'other', count: 1, message: expect.stringMatching(/apart/) }),
    ])
  })

  it('still keeps apart and renumbers an id repeated within one of the files', () => {
    const { dataset, report } = importCoco(
      cocoFolder([outline], [withKeypoints, { ...withKeypoints, keypoints: [1, 1, 2, 2, 2, 2] }]),
    )
    expect(dataset.items[0]!.regions.map((r) => r.kind)).toEqual([
      'polygon',
      'keypoints',
      'polygon',
      'keypoints',
    ])
    const [first, joined, second] = dataset.items[0]!.regions.map((r) => r.group)
    expect(joined).toBe(first)
    expect(second).not.toBe(first)
    expect(report.warnings.map((w) => w.code).sort()).toEqual(['other', 'renumbered'])
  })
})
