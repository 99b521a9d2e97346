import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { importLabelStudio } from '@concord/shared/formats/labelstudio/index'
import { exportYolo } from '@concord/shared/formats/yolo/index'
import { casesDir, readOne, text } from '../support/image-folder.ts'

const caseDir = path.join(casesDir, 'ls-rotated-rect-to-yolo')
const expectedLines = readFileSync(path.join(caseDir, 'expected_yolo_aabb.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')

describe('ls-rotated-rect-to-yolo', () => {
  const exported = () => {
    const { dataset } = importLabelStudio(readOne(path.join(caseDir, 'input_labelstudio.json')))
    return exportYolo(dataset, { task: 'detect' })
  }

  it('writes the axis-aligned bounds of boxes rotated in pixels, not in percent', () => {
    const { files } = exported()
    const labels = [...files.keys()].filter((k) => k.startsWith('labels/'))
    expect(labels).toHaveLength(1)
    const lines = text(files, labels[0]!).trim().split('\n')
    expect(lines).toHaveLength(expectedLines.length)
    lines.forEach((line, i) => {
      const got = line.split(' ').map(Number)
      const want = expectedLines[i]!.trim().split(/\s+/).map(Number)
      expect(got[0]).toBe(want[0])
      got.slice(1).forEach((v, j) => expect(Math.abs(v - want[j + 1]!)).toBeLessThanOrEqual(1e-6))
    })
  })

  it('reports the dropped rotation as lossy', () => {
    const { report } = exported()
    expect(report.lossiness.find((l) => l.kind === 'rbox')?.count).toBeGreaterThan(0)
  })
})
