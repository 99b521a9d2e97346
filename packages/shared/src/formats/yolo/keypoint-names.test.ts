import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import type { InterchangeDataset, InterchangeLabel } from '../model.ts'
import { exportYolo, importYolo } from './index.ts'
import { deriveFlipIndex } from './keypoint-names.ts'

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)
const IMAGE = new Uint8Array([0xff, 0xd8])
const size = () => ({ width: 200, height: 100 })

const FACE = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear']
const FACE_SKELETON: [number, number][] = [
  [1, 2],
  [1, 3],
  [2, 4],
  [3, 5],
]

function poseDataset(labels: InterchangeLabel[]): InterchangeDataset {
  const points = FACE.map((_, i) => ({ x: 20 + i * 10, y: 30 + i * 5, v: 2 as const }))
  return {
    labels,
    items: [
      {
        key: 'train:x.jpg',
        subset: 'train',
        path: 'x.jpg',
        ...size(),
        tags: [],
        regions: [{ kind: 'keypoints', label: 'face', attributes: {}, geometry: { points } }],
      },
    ],
  }
}

function dataYaml(labels: InterchangeLabel[]): Record<string, unknown> {
  const { files } = exportYolo(poseDataset(labels), { task: 'pose' })
  return parseYaml(dec(files.get('data.yaml'))) as Record<string, unknown>
}

describe('YOLO pose keypoint names', () => {
  it('writes kpt_names by class index and flip_idx swapping each left with its right', () => {
    const yaml = dataYaml([{ name: 'other' }, { name: 'face', keypoints: FACE }])
    expect(yaml.kpt_names).toEqual({ 1: FACE })
    expect(yaml.flip_idx).toEqual([0, 2, 1, 4, 3])
  })

  it('keeps the skeleton in the concord block, which Ultralytics ignores', () => {
    const yaml = dataYaml([{ name: 'face', keypoints: FACE, skeleton: FACE_SKELETON }])
    expect((yaml.concord as { skeletons: unknown }).skeletons).toEqual({ face: FACE_SKELETON })
  })

  it('gives names and skeleton back on import of its own export', () => {
    const labels = [{ name: 'face', keypoints: FACE, skeleton: FACE_SKELETON }, { name: 'car' }]
    const exported = exportYolo(poseDataset(labels), { task: 'pose' })
    const files = new Map(exported.files)
    for (const image of exported.images.values()) files.set(image, IMAGE)
    const { dataset } = importYolo(files, { sizeOf: size })
    expect(dataset.labels).toEqual(labels)
    expect(dataset.items[0]!.regions[0]!.geometry).toEqual(
      poseDataset(labels).items[0]!.regions[0]!.geometry,
    )
  })

  it('reads kpt_names written as a list per class by another tool', () => {
    const files = new Map([
      [
        'data.yaml',
        enc('train: images/train\nkpt_shape: [2, 3]\nnames: [hand]\nkpt_names: [[wrist, tip]]\n'),
      ],
      ['images/train/x.jpg', IMAGE],
      ['labels/train/x.txt', enc('0 0.5 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 2\n')],
    ])
    const { dataset } = importYolo(files, { sizeOf: size })
    expect(dataset.labels).toEqual([{ name: 'hand', keypoints: ['wrist', 'tip'] }])
    expect(dataset.items).toHaveLength(1)
  })

  it('refuses kpt_names that are not lists of names, naming the key', () => {
    const files = new Map([
      ['data.yaml', enc('kpt_shape: [1, 3]\nnames: [p]\nkpt_names: {0: nose}\n')],
    ])
    expect(() => importYolo(files)).toThrow(/data\.yaml at kpt_names\.0/)
  })
})

describe('flip_idx from keypoint names', () => {
  it('pairs CamelCase and hyphenated sides and leaves unsided names in place', () => {
    const names = ['LeftEye', 'RightEye', 'nose', 'right-paw', 'left-paw']
    expect(deriveFlipIndex([{ name: 'a', keypoints: names }], 5)).toEqual([1, 0, 2, 4, 3])
  })

  it('leaves indices past a label with fewer names than K in place', () => {
    const labels = [{ name: 'a', keypoints: ['left_eye', 'right_eye'] }]
    expect(deriveFlipIndex(labels, 4)).toEqual([1, 0, 2, 3])
  })

  it('is omitted when a sided name has no partner', () => {
    const labels = [{ name: 'a', keypoints: ['left_eye', 'right_eye', 'left_ear'] }]
    expect(deriveFlipIndex(labels, 3)).toBeUndefined()
    expect(
      dataYaml([{ name: 'face', keypoints: [...FACE.slice(0, 4), 'chin'] }]),
    ).not.toHaveProperty('flip_idx')
  })

  it('is omitted when two labels would flip the same index differently', () => {
    const labels = [
      { name: 'a', keypoints: ['left_eye', 'right_eye', 'nose'] },
      { name: 'b', keypoints: ['nose', 'left_eye', 'right_eye'] },
    ]
    expect(deriveFlipIndex(labels, 3)).toBeUndefined()
  })

  it('is omitted when no name has a side, since nothing says the points are symmetric', () => {
    expect(deriveFlipIndex([{ name: 'a', keypoints: ['head', 'tail'] }], 2)).toBeUndefined()
  })
})
