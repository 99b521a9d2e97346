import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { encodeJson } from '../common/json.ts'
import { importLabelme } from './index.ts'
import { toBase64 } from './png-mask.ts'

const TUTORIAL = '../shared/data/labelme/examples/tutorial'

const withImage = (bytes: Uint8Array, imagePath: string) =>
  encodeJson({ version: '5.5.0', flags: {}, shapes: [], imagePath, imageData: toBase64(bytes) })

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0))

describe('labelme embedded images', () => {
  it('names the real tutorial image, whose imagePath is the JSON itself, a .jpg after the JSON', () => {
    const json = readFileSync(`${TUTORIAL}/apc2016_obj3.json`)
    const { dataset, images } = importLabelme(new Map([['tutorial/apc2016_obj3.json', json]]))
    expect(dataset.items.map((i) => i.path)).toEqual(['tutorial/apc2016_obj3.jpg'])
    expect([...images.keys()]).toEqual(['tutorial/apc2016_obj3.jpg'])
    expect([...images.get('tutorial/apc2016_obj3.jpg')!.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    expect(dataset.items[0]!.regions.length).toBeGreaterThan(0)
  })

  it('uses the image of the same stem beside the JSON when the upload has one', () => {
    const json = readFileSync(`${TUTORIAL}/apc2016_obj3.json`)
    const { dataset, images } = importLabelme(
      new Map([
        ['tutorial/apc2016_obj3.json', json],
        ['tutorial/apc2016_obj3.jpeg', new Uint8Array([0xff, 0xd8, 0xff])],
        ['other/apc2016_obj3.png', new Uint8Array([0x89])],
      ]),
    )
    expect(dataset.items.map((i) => i.path)).toEqual(['tutorial/apc2016_obj3.jpeg'])
    expect([...images.keys()]).toEqual(['tutorial/apc2016_obj3.jpeg'])
  })

  it('gives each embedded type its extension when imagePath has none', () => {
    const types: [string, number[]][] = [
      ['.png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]],
      ['.gif', ascii('GIF89a....')],
      ['.webp', [...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP8 ')]],
      ['.bmp', [...ascii('BM'), ...new Array<number>(40).fill(0)]],
    ]
    for (const [ext, bytes] of types) {
      const { images } = importLabelme(
        new Map([['d/x.json', withImage(new Uint8Array(bytes), 'x')]]),
      )
      expect([...images.keys()]).toEqual([`d/x${ext}`])
    }
  })

  it('keeps an imagePath that names an image, and says so when the bytes are of no known type', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0])
    expect([
      ...importLabelme(new Map([['x.json', withImage(jpeg, 'a.png')]])).images.keys(),
    ]).toEqual(['a.png'])
    const { images, report } = importLabelme(
      new Map([['x.json', withImage(new Uint8Array([1, 2, 3]), 'x.json')]]),
    )
    expect([...images.keys()]).toEqual(['x'])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ file: 'x.json', path: 'imageData' }),
    )
  })
})
