import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { FormatError, type InterchangeDataset, type InterchangeRegion } from '../model.ts'
import { exportDataset } from '../index.ts'
import { exportYolo, importYolo } from './index.ts'

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const IMAGE = new Uint8Array([0xff, 0xd8])
const W = 200
const H = 100

type Kp = { x: number; y: number; v: 0 | 1 | 2 }
const person = (points: Kp[], label = 'person'): InterchangeRegion => ({
  kind: 'keypoints',
  label,
  attributes: {},
  geometry: { points },
})

function oneImage(
  regions: InterchangeRegion[],
  labels: InterchangeDataset['labels'] = [{ name: 'person' }],
): InterchangeDataset {
  return {
    labels,
    items: [
      {
        key: 'train:x.jpg',
        subset: 'train',
        path: 'x.jpg',
        width: W,
        height: H,
        regions,
        tags: [],
      },
    ],
  }
}

describe('YOLO pose export', () => {
  it('writes the box of the labelled points, then x y v per point, 0 0 0 where not labelled', () => {
    const { files } = exportYolo(
      oneImage([
        person([
          { x: 20, y: 10, v: 2 },
          { x: 60, y: 50, v: 1 },
          { x: 0, y: 0, v: 0 },
        ]),
      ]),
      { task: 'pose' },
    )
    expect(dec(files.get('labels/train/x.txt'))).toBe(
      '0 0.200000 0.300000 0.200000 0.400000 0.100000 0.100000 2 0.300000 0.500000 1 0 0 0\n',
    )
    expect(parseYaml(dec(files.get('data.yaml'))).kpt_shape).toEqual([3, 3])
  })

  it('takes K from the label declaring the most keypoints and pads shorter regions', () => {
    const { files } = exportYolo(
      oneImage(
        [
          person([
            { x: 20, y: 10, v: 2 },
            { x: 40, y: 30, v: 2 },
          ]),
        ],
        [{ name: 'person', keypoints: ['nose', 'left_eye', 'right_eye', 'left_ear'] }],
      ),
      { task: 'pose' },
    )
    expect(parseYaml(dec(files.get('data.yaml'))).kpt_shape).toEqual([4, 3])
    const values = dec(files.get('labels/train/x.txt')).trim().split(' ')
    expect(values).toHaveLength(1 + 4 + 4 * 3)
    expect(values.slice(-6)).toEqual(['0', '0', '0', '0', '0', '0'])
  })

  it('reports every other kind as lossy and writes no line for it', () => {
    const { files, report } = exportYolo(
      oneImage([
        { kind: 'bbox', label: 'person', attributes: {}, geometry: { x: 1, y: 1, w: 5, h: 5 } },
        person([{ x: 20, y: 10, v: 2 }]),
      ]),
      { task: 'pose' },
    )
    expect(dec(files.get('labels/train/x.txt')).trim().split('\n')).toHaveLength(1)
    expect(report.lossiness).toContainEqual(expect.objectContaining({ kind: 'bbox', count: 1 }))
  })

  it('writes a point far outside the image as not labelled, and skips one with none left', () => {
    const { files, report } = exportYolo(
      oneImage([
        person([
          { x: 20, y: 10, v: 2 },
          { x: 500, y: 10, v: 2 },
        ]),
        person([{ x: -50, y: 10, v: 2 }]),
      ]),
      { task: 'pose' },
    )
    const lines = dec(files.get('labels/train/x.txt')).trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]!.split(' ').slice(-3)).toEqual(['0', '0', '0'])
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'clipped', count: 2 }))
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'skipped', count: 1 }))
  })

  it('is refused as an option only when misspelt', () => {
    expect(() => exportYolo(oneImage([]), { task: 'poses' as 'pose' })).toThrow(FormatError)
  })
})

describe('YOLO pose import', () => {
  const files = (yaml: string, label: string) =>
    new Map([
      ['data.yaml', enc(yaml)],
      ['images/train/x.jpg', IMAGE],
      ['labels/train/x.txt', enc(label)],
    ])
  const read = (yaml: string, label: string) =>
    importYolo(files(yaml, label), { sizeOf: () => ({ width: W, height: H }) })

  it('reads keypoints with their visibility when data.yaml has kpt_shape', () => {
    const { dataset } = read(
      'train: images/train\nkpt_shape: [3, 3]\nflip_idx: [0, 2, 1]\nnames: [person]\n',
      '0 0.2 0.3 0.2 0.4 0.1 0.1 2 0.3 0.5 1 0 0 0\n',
    )
    const region = dataset.items[0]!.regions[0]!
    expect(region.kind).toBe('keypoints')
    expect(region.geometry).toEqual({
      points: [
        { x: 20, y: 10, v: 2 },
        { x: 60, y: 50, v: 1 },
        { x: 0, y: 0, v: 0 },
      ],
    })
  })

  it('reads two-value keypoints as visible, except those at the origin', () => {
    const { dataset } = read('kpt_shape: [2, 2]\nnames: [p]\n', '0 0.5 0.5 0.2 0.2 0.5 0.5 0 0\n')
    const keypoints = dataset.items[0]!.regions.find((r) => r.kind === 'keypoints')
    expect(keypoints!.geometry).toEqual({
      points: [
        { x: 100, y: 50, v: 2 },
        { x: 0, y: 0, v: 0 },
      ],
    })
  })

  it('reads a trailing confidence as a model score', () => {
    const { dataset } = read('kpt_shape: [1, 3]\nnames: [p]\n', '0 0.5 0.5 0 0 0.5 0.5 2 0.9\n')
    expect(dataset.items[0]!.regions[0]).toMatchObject({ score: 0.9, source: 'model' })
  })

  it('keeps a box wider than its points as a box of the object, which a pose export writes back', () => {
    const line = '0 0.500000 0.500000 0.500000 0.500000 0.500000 0.500000 2\n'
    const { dataset } = read('kpt_shape: [1, 3]\nnames: [p]\n', line)
    const regions = dataset.items[0]!.regions
    expect(regions.map((r) => [r.kind, r.label, r.group])).toEqual([
      ['bbox', 'p', 1],
      ['keypoints', 'p', 1],
    ])
    expect(regions[0]!.geometry).toEqual({ x: 50, y: 25, w: 100, h: 50 })
    const { files, report } = exportYolo(dataset, { task: 'pose' })
    expect(dec(files.get('labels/train/x.txt'))).toBe(line)
    expect(report.lossiness).toEqual([])
    // Through the shared rules too: the group of box and keypoints is carried, not reported.
    expect(exportDataset('yolo', dataset, { task: 'pose' }).report.lossiness).toEqual([])
    // A COCO person with an outline and no box region: its line's box is the outline's.
    const outlined: InterchangeDataset = oneImage(
      [
        {
          kind: 'polygon',
          label: 'person',
          attributes: {},
          group: 7,
          geometry: {
            points: [
              [20, 10],
              [70, 10],
              [70, 70],
            ],
          },
          extra: { cocoBbox: [20, 10, 50, 60] },
        },
        { ...person([{ x: 40, y: 20, v: 2 }]), group: 7 },
      ],
      [{ name: 'person' }],
    )
    const posed = exportYolo(outlined, { task: 'pose' })
    expect(dec(posed.files.get('labels/train/x.txt'))).toBe(
      '0 0.225000 0.400000 0.250000 0.600000 0.200000 0.200000 2\n',
    )
    // A box that only bounds the points is the keypoints' own: no box region.
    const tight = read(
      'kpt_shape: [2, 3]\nnames: [p]\n',
      '0 0.5 0.5 0.5 0.5 0.25 0.25 2 0.75 0.75 2\n',
    )
    expect(tight.dataset.items[0]!.regions.map((r) => r.kind)).toEqual(['keypoints'])
  })

  it('refuses a line whose length does not match kpt_shape, naming the line', () => {
    expect(() => read('kpt_shape: [2, 3]\nnames: [p]\n', '0 0.5 0.5 0.1 0.1 0.5 0.5 2\n')).toThrow(
      /labels\/train\/x\.txt at line 1/,
    )
  })

  it('refuses a visibility other than 0, 1 or 2 and a kpt_shape that is not [K, 2|3]', () => {
    expect(() => read('kpt_shape: [1, 3]\nnames: [p]\n', '0 0.5 0.5 0 0 0.5 0.5 3\n')).toThrow(
      /visibility 3/,
    )
    expect(() => read('kpt_shape: [1, 4]\nnames: [p]\n', '0 0.5 0.5 0 0\n')).toThrow(/kpt_shape/)
  })
})
