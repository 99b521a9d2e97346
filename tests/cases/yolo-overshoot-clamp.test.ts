import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FileSet } from '@concord/shared/formats/model'
import { exportYolo, importYolo } from '@concord/shared/formats/yolo/index'
import { casesDir, text } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'yolo-overshoot-clamp')
const expected = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8'))
const line = readFileSync(path.join(caseDir, 'input_bad_export.txt'), 'utf8').trim()
const [cls, , , wNorm, hNorm] = line.split(/\s+/).map(Number) as number[]
// The image size is what turns the normalised line into the expected raw pixel box.
const raw = expected.raw_pixel_box_xyxy as number[]
const width = Math.round((raw[2]! - raw[0]!) / wNorm!)
const height = Math.round((raw[3]! - raw[1]!) / hNorm!)

function labelsOnly(): FileSet {
  const names = Array.from({ length: cls! + 1 }, (_, i) => `class_${i}`).join('\n')
  return new Map([
    ['classes.txt', new TextEncoder().encode(names)],
    ['labels/frame.txt', new TextEncoder().encode(line + '\n')],
  ])
}

describe('yolo-overshoot-clamp', () => {
  const imported = () =>
    importYolo(labelsOnly(), { images: ['images/frame.jpg'], sizeOf: () => ({ width, height }) })

  it('clamps a height of 1.0004 into the image on import and counts it', () => {
    const { dataset, report } = imported()
    const box = dataset.items[0]!.regions[0]!.geometry as {
      x: number
      y: number
      w: number
      h: number
    }
    const got = [box.x, box.y, box.x + box.w, box.y + box.h]
    got.forEach((v, i) => expect(v).toBeCloseTo(expected.clipped_pixel_box_xyxy[i], 6))
    expect(report.warnings.find((w) => w.code === 'clamped')?.count).toBeGreaterThan(0)
  })

  it('exports the clamped box inside [0, 1], rounded to 6 decimals', () => {
    const { dataset } = imported()
    const { files } = exportYolo(dataset)
    const label = [...files.keys()].find((k) => k.endsWith('frame.txt'))!
    const written = text(files, label).trim()
    expect(written).toBe(expected.expected_yolo_line)
    for (const value of written.split(' ').slice(1).map(Number)) {
      expect(value).toBeGreaterThanOrEqual(0)
      expect(value).toBeLessThanOrEqual(1)
    }
  })

  it('never writes a value outside [0, 1] for boxes dragged past any edge', () => {
    const box = (x: number, y: number, w: number, h: number) => ({
      kind: 'bbox' as const,
      label: 'class_0',
      attributes: {},
      geometry: { x, y, w, h },
    })
    const { files } = exportYolo({
      labels: [{ name: 'class_0' }],
      items: [
        {
          key: 'a.jpg',
          subset: '',
          path: 'a.jpg',
          width,
          height,
          tags: [],
          regions: [
            box(-0.4, -0.3, width + 1, height + 0.6),
            box(width - 3, 2, 5, height),
            box(0.0000004, 0, 1, 1),
          ],
        },
      ],
    })
    for (const row of text(files, 'labels/train/a.txt').trim().split('\n')) {
      const [, xc, yc, w, h] = row.split(' ').map(Number) as number[]
      expect(xc! - w! / 2).toBeGreaterThanOrEqual(-1e-12)
      expect(yc! - h! / 2).toBeGreaterThanOrEqual(-1e-12)
      expect(xc! + w! / 2).toBeLessThanOrEqual(1 + 1e-12)
      expect(yc! + h! / 2).toBeLessThanOrEqual(1 + 1e-12)
    }
  })
})
