import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { InterchangeDataset } from '@concord/shared/formats/model'
import { exportVoc } from '@concord/shared/formats/voc/export'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { casesDir, text } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'yolo-roundtrip-rounding')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const [width, height] = expected.image_wh as [number, number]
const original = readFileSync(path.join(caseDir, 'label.txt'), 'utf8').trim()
const enc = (s: string) => new TextEncoder().encode(s)

function importLine(line: string): InterchangeDataset {
  const files = new Map([
    ['classes.txt', enc('object\n')],
    ['labels/img.txt', enc(line + '\n')],
  ])
  return importYolo(files, { images: ['images/img.jpg'], sizeOf: () => ({ width, height }) })
    .dataset
}

const exportLine = (dataset: InterchangeDataset) =>
  text(exportYolo(dataset).files, 'labels/train/img.txt').trim()

function xyxy(dataset: InterchangeDataset): number[] {
  const box = dataset.items[0]!.regions[0]!.geometry as {
    x: number
    y: number
    w: number
    h: number
  }
  return [box.x, box.y, box.x + box.w, box.y + box.h]
}

describe('yolo-roundtrip-rounding', () => {
  it('imports the line to the raw pixel box without truncating', () => {
    const got = xyxy(importLine(original))
    got.forEach((v, i) => expect(v).toBeCloseTo(expected.raw[i], 6))
    expect(got.map(Math.round)).toEqual(expected.expected_int_box_round)
  })

  it('writes whole, rounded pixels to one-based VOC, which readers take with int()', () => {
    const files = exportVoc(importLine(original)).files
    const xml = text(
      files,
      [...files.keys()].find((f) => f.startsWith('Annotations/'))!,
    )
    const corner = (tag: string) => xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))![1]!
    const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map(corner)
    // One-based: xmin is the first pixel counted from 1, xmax the last one inside.
    expect([xmin, ymin, xmax, ymax].map(Number)).toEqual(
      (expected.expected_int_box_round as number[]).map((v, i) => (i < 2 ? v + 1 : v)),
    )
    expect([xmin, ymin, xmax, ymax].every((v) => /^\d+$/.test(v))).toBe(true)
  })

  it('writes the same line back, round trip after round trip', () => {
    let line = original
    for (let trip = 0; trip < 5; trip++) line = exportLine(importLine(line))
    expect(line).toBe(original)
  })

  it('keeps an integer box on its pixels through repeated round trips', () => {
    const [x1, y1, x2, y2] = expected.expected_int_box_round as number[]
    let dataset: InterchangeDataset = {
      labels: [{ name: 'object' }],
      items: [
        {
          key: 'img.jpg',
          subset: '',
          path: 'img.jpg',
          width,
          height,
          tags: [],
          regions: [
            {
              kind: 'bbox',
              label: 'object',
              attributes: {},
              geometry: { x: x1!, y: y1!, w: x2! - x1!, h: y2! - y1! },
            },
          ],
        },
      ],
    }
    for (let trip = 0; trip < 5; trip++) dataset = importLine(exportLine(dataset))
    expect(xyxy(dataset).map(Math.round)).toEqual(expected.expected_int_box_round)
    xyxy(dataset).forEach((v, i) =>
      expect(Math.abs(v - expected.expected_int_box_round[i])).toBeLessThan(0.001),
    )
  })
})
