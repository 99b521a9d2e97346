import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importCvat } from './index.ts'

const EXPORT_TASK = '../shared/data/datumaro/tests/assets/cvat_dataset/for_images/export_task'

const enc = (text: string) => new TextEncoder().encode(text)

describe('CVAT shapes without a label', () => {
  it('leaves out the unlabelled shapes of a real export and names each one', () => {
    const xml = readFileSync(`${EXPORT_TASK}/train.xml`)
    const { dataset, report } = importCvat(new Map([['train.xml', xml]]))

    const regions = dataset.items.flatMap((item) => item.regions)
    expect(regions.map((r) => r.label)).toEqual(['label1', 'label2'])
    expect(dataset.labels.map((l) => l.name)).not.toContain('')
    const skipped = report.warnings.filter((w) => w.code === 'skipped')
    expect(skipped).toEqual([
      expect.objectContaining({ file: 'train.xml', path: 'annotations/image[0]/polyline[0]' }),
      expect.objectContaining({ file: 'train.xml', path: 'annotations/image[1]/polygon[0]' }),
    ])
  })

  it('leaves out whitespace labels and empty tags, of every shape kind', () => {
    const xml = `<annotations><version>1.1</version>
      <image id="0" name="a.jpg" width="100" height="50">
        <box label=" " xtl="1" ytl="2" xbr="11" ybr="22"/>
        <box label="car" xtl="1" ytl="2" xbr="11" ybr="22"/>
        <points label="" points="3,4"/>
        <ellipse label="" cx="5" cy="5" rx="2" ry="2"/>
        <mask label="" rle="1, 2" left="0" top="0" width="3" height="1"/>
        <tag label=""/>
      </image></annotations>`
    const { dataset, report } = importCvat(new Map([['a.xml', enc(xml)]]))

    const item = dataset.items[0]!
    expect(item.regions.map((r) => r.label)).toEqual(['car'])
    expect(item.tags).toEqual([])
    expect(report.warnings.filter((w) => w.code === 'skipped').map((w) => w.path)).toEqual([
      'annotations/image[0]/tag[0]',
      'annotations/image[0]/box[0]',
      'annotations/image[0]/points[0]',
      'annotations/image[0]/ellipse[0]',
      'annotations/image[0]/mask[0]',
    ])
    expect(report.warnings.some((w) => w.code === 'lossy')).toBe(false)
  })
})
