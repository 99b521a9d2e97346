import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { FileSet, InterchangeDataset, InterchangeItem } from '../model.ts'
import { exportYolo, importYolo } from './index.ts'

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const IMAGE = new Uint8Array([0xff, 0xd8])
const sizeIs = (width: number, height: number) => () => ({ width, height })

function item(path: string, subset: string, regions: InterchangeItem['regions'] = []) {
  return { key: `${subset}:${path}`, subset, path, width: 200, height: 100, regions, tags: [] }
}

const box = (x: number): InterchangeItem['regions'][number] => ({
  kind: 'bbox',
  label: 'a',
  geometry: { x, y: 10, w: 20, h: 20 },
  attributes: {},
})

function withImages(files: FileSet, images: Map<string, string>): FileSet {
  const all = new Map(files)
  for (const path of images.values()) all.set(path, IMAGE)
  return all
}

describe('YOLO train and val keys', () => {
  it('points val at the train images when there is no val subset, and says so', () => {
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [item('x.jpg', 'train', [box(10)]), item('y.jpg', 'train')],
    }
    const { files, report } = exportYolo(source)
    const yaml = parseYaml(dec(files.get('data.yaml')))
    expect(yaml.train).toBe('images/train')
    expect(yaml.val).toBe(yaml.train)
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'other',
        file: 'data.yaml',
        message: expect.stringMatching(/val/),
      }),
    )
  })

  it('points train at the only split there is, so Ultralytics finds both keys', () => {
    const source: InterchangeDataset = { labels: [], items: [item('x.jpg', 'Validation')] }
    const yaml = parseYaml(dec(exportYolo(source).files.get('data.yaml')))
    expect(yaml.val).toBe('images/Validation')
    expect(yaml.train).toBe('images/Validation')
  })

  it('adds no alias and no warning when both subsets are there', () => {
    const source: InterchangeDataset = {
      labels: [],
      items: [item('x.jpg', 'train'), item('y.jpg', 'val')],
    }
    const { files, report } = exportYolo(source)
    const yaml = parseYaml(dec(files.get('data.yaml')))
    expect([yaml.train, yaml.val]).toEqual(['images/train', 'images/val'])
    expect(report.warnings).toEqual([])
  })

  it('reads an export whose val is an alias of train with each item once, in train', () => {
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [item('x.jpg', 'train', [box(10)]), item('y.jpg', 'train', [box(50)])],
    }
    const { files, images } = exportYolo(source)
    const { dataset } = importYolo(withImages(files, images), { sizeOf: sizeIs(200, 100) })
    expect(dataset.items.map((i) => i.key)).toEqual(['train:x.jpg', 'train:y.jpg'])
    expect(dataset.items.map((i) => i.regions.length)).toEqual([1, 1])
  })

  it('reads a hand-written yaml that names the train folder under val first only as train', () => {
    const { dataset, report } = importYolo(
      new Map([
        ['data.yaml', enc('val: images/train/\ntrain: ./images/train\nnames: [a]\n')],
        ['images/train/x.jpg', IMAGE],
        ['labels/train/x.txt', enc('0 0.5 0.5 0.2 0.2\n')],
      ]),
      { sizeOf: sizeIs(200, 100) },
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['train:x.jpg'])
    expect(dataset.items[0]!.regions).toHaveLength(1)
    expect(report.warnings).toEqual([])
  })
})

describe('YOLO splits of images without a subset', () => {
  it('puts uploaded images/train/ and Roboflow valid/images/ folders into those splits', () => {
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [item('images/train/c.jpg', '', [box(10)]), item('valid/images/d.jpg', '')],
    }
    const { files, images, report } = exportYolo(source)
    expect(images.get(':images/train/c.jpg')).toBe('images/train/c.jpg')
    expect(images.get(':valid/images/d.jpg')).toBe('images/valid/d.jpg')
    expect([...files.keys()].sort()).toEqual([
      'data.yaml',
      'labels/train/c.txt',
      'labels/valid/d.txt',
    ])
    const yaml = parseYaml(dec(files.get('data.yaml')))
    expect([yaml.train, yaml.val]).toEqual(['images/train', 'images/valid'])
    expect(report.warnings).toEqual([])
  })

  it('keeps the train split for the train subset when images without a subset come first', () => {
    const source: InterchangeDataset = {
      labels: [{ name: 'a' }],
      items: [item('new.jpg', ''), item('x.jpg', 'train', [box(10)]), item('y.jpg', 'val')],
    }
    const { files, images, report } = exportYolo(source)
    const yaml = parseYaml(dec(files.get('data.yaml')))
    expect([yaml.train, yaml.val]).toEqual(['images/train', 'images/val'])
    expect(images.get('train:x.jpg')).toBe('images/train/x.jpg')
    expect(images.get(':new.jpg')).toBe('images/unsplit/new.jpg')
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ count: 1, message: expect.stringMatching(/images\/unsplit/) }),
    )
    // And back: each image keeps its subset, the unsplit one none.
    const back = importYolo(withImages(files, images), { sizeOf: sizeIs(200, 100) })
    expect(back.dataset.items.map((i) => [i.subset, i.path]).sort()).toEqual([
      ['', 'new.jpg'],
      ['train', 'x.jpg'],
      ['val', 'y.jpg'],
    ])
  })

  it('still calls a dataset without subsets train', () => {
    const { images, files } = exportYolo({ labels: [], items: [item('x.jpg', '')] })
    expect(images.get(':x.jpg')).toBe('images/train/x.jpg')
    expect(parseYaml(dec(files.get('data.yaml'))).train).toBe('images/train')
  })
})
