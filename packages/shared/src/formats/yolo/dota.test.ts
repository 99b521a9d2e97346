import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { rboxCorners } from '../../geometry/index.ts'
import type { FileSet } from '../model.ts'
import { importYolo } from './index.ts'

const ROBOFLOW_OBB = '../shared/data/datumaro/tests/assets/roboflow_dataset/yolo_obb'

const enc = (text: string) => new TextEncoder().encode(text)
const IMAGE = new Uint8Array([0xff, 0xd8])

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

const sorted = (points: [number, number][]) =>
  points.map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]).sort()

describe('YOLO import of DOTA labelTxt files (Roboflow yolo_obb)', () => {
  it('reads the real Roboflow yolo_obb layout as rotated boxes labelled by name', () => {
    const { dataset, report } = importYolo(readTree(ROBOFLOW_OBB), {
      sizeOf: () => ({ width: 20, height: 20 }),
    })
    expect(dataset.items.map((i) => i.key)).toEqual([
      'train:train_001.jpg',
      'train:train_002.jpg',
      'val:val_001.jpg',
    ])
    expect(dataset.labels.map((l) => l.name)).toEqual(['label_0', 'label_1'])
    const val = dataset.items[2]!
    expect(val.regions.map((r) => [r.kind, r.label, r.attributes])).toEqual([
      ['rbox', 'label_0', { difficult: false }],
      ['rbox', 'label_1', { difficult: false }],
    ])
    const second = val.regions[1]!
    if (second.kind !== 'rbox') throw new Error('expected an rbox')
    expect(sorted(rboxCorners(second.geometry))).toEqual(
      sorted([
        [1, 2],
        [1, 5],
        [10, 5],
        [10, 2],
      ]),
    )
    expect(report.warnings).toEqual([])
  })

  it('reads pixel boxes without an image size, saying they were not checked against the edges', () => {
    const { dataset, report } = importYolo(readTree(ROBOFLOW_OBB))
    expect(dataset.items.flatMap((i) => i.regions)).toHaveLength(4)
    expect(report.warnings.filter((w) => w.code === 'missing-size')).toHaveLength(3)
  })

  it('moves corners past the image edge onto it and counts them', () => {
    const { dataset, report } = importYolo(
      new Map([
        ['data.yaml', enc('names: [car]\n')],
        ['train/images/a.jpg', IMAGE],
        ['train/labelTxt/a.txt', enc('imagesource:x\ngsd:0.1\n-2 0 8 0 8 4 -2 4 car 1\n')],
      ]),
      { sizeOf: () => ({ width: 10, height: 10 }) },
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region).toMatchObject({ kind: 'rbox', label: 'car', attributes: { difficult: true } })
    expect(region.geometry).toMatchObject({ cx: 4, cy: 2, w: 8, h: 4 })
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'clamped', count: 2 }))
  })

  it('adds a class the names list lacks, and refuses a malformed line naming it', () => {
    const files = (line: string): FileSet =>
      new Map([
        ['data.yaml', enc('names: [car]\n')],
        ['images/a.jpg', IMAGE],
        ['labelTxt/a.txt', enc(line)],
      ])
    const { dataset, report } = importYolo(files('0 0 4 0 4 2 0 2 plane 0'))
    expect(dataset.labels.map((l) => l.name)).toEqual(['car', 'plane'])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown-label', file: 'labelTxt/a.txt' }),
    )
    expect(() => importYolo(files('0 0 4 0 4 2 0 plane 0'))).toThrow(/labelTxt\/a\.txt at line 1/)
  })

  it('reports every .txt in a labels-like folder that it does not read', () => {
    const { report } = importYolo(
      new Map([
        ['data.yaml', enc('names: [car]\n')],
        ['images/a.jpg', IMAGE],
        ['labels/a.txt', enc('0 .5 .5 .1 .1')],
        ['labelTxt/ghost.txt', enc('0 0 4 0 4 2 0 2 car 0')],
        ['yolo_labels/notes.txt', enc('checked by hand')],
      ]),
      // The caller has a.jpg only; sizeOf is how it says which images it has.
      { sizeOf: (path) => (path.endsWith('a.jpg') ? { width: 10, height: 10 } : undefined) },
    )
    const unread = report.warnings.filter((w) => w.code === 'unmatched-image').map((w) => w.file)
    expect(unread.sort()).toEqual(['labelTxt/ghost.txt', 'yolo_labels/notes.txt'])
  })
})
