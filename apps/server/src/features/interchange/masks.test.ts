import { zipFileSet } from '@concord/shared/formats/zip'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'

let t: TestApp
let lead: string
let jpeg: Uint8Array

const enc = (text: string) => new TextEncoder().encode(text)

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
  jpeg = new Uint8Array(
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer(),
  )
})
afterAll(() => t.close())

async function newProject(name: string): Promise<string> {
  const res = await t.request('/api/projects', { json: { name }, cookie: lead })
  return (await res.json()).id
}

/** Imports a zip of `a.jpg` (40x30) and one annotation file; answers status and body. */
async function importWithImage(format: string, name: string, text: string) {
  const projectId = await newProject(`masks ${format}`)
  const files = new Map([
    ['a.jpg', jpeg],
    [name, enc(text)],
  ])
  const res = await t.request(`/api/projects/${projectId}/import?format=${format}`, {
    body: zipFileSet(files),
    headers: { 'content-type': 'application/zip' },
    cookie: lead,
  })
  const body = await res.json()
  const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
  const assets = await (
    await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
  ).json()
  return { status: res.status, body, labels: project.labels, assets: assets.assets }
}

/** A mask `width` x `height` whose first column is foreground, and whose counts fill it. */
function maskOf(width: number, height: number) {
  return { width, height, counts: [0, height, width * height - height] }
}

function concordFile(mask: { width: number; height: number; counts: number[] }): string {
  const header = { format: 'concord', version: 1, labels: [{ name: 'cell' }] }
  const item = {
    key: 'a.jpg',
    subset: '',
    path: 'a.jpg',
    regions: [{ kind: 'mask', label: 'cell', attributes: {}, geometry: mask }],
    tags: [],
  }
  return `${JSON.stringify(header)}\n${JSON.stringify(item)}\n`
}

describe('imported masks are the size of their image', () => {
  it('imports a Concord mask of the image size', async () => {
    const { status, body, assets } = await importWithImage(
      'concord',
      'd.jsonl',
      concordFile(maskOf(40, 30)),
    )
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.imported.regions).toBe(1)
    expect(assets.map((a: { fileName: string }) => a.fileName)).toEqual(['a.jpg'])
  })

  it('refuses a Concord mask of another size with 400 naming the image and region, adding nothing', async () => {
    const { status, body, labels, assets } = await importWithImage(
      'concord',
      'd.jsonl',
      concordFile(maskOf(500, 338)),
    )
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_format')
    expect(body.error.details).toMatchObject({ file: 'a.jpg', where: 'regions[0]' })
    expect(body.error.message).toMatch(/500x338 mask on an image displayed at 40x30/)
    expect(labels).toEqual([])
    expect(assets).toEqual([])
  })

  it('refuses a COCO RLE mask of another size than the image', async () => {
    const coco = {
      images: [{ id: 1, file_name: 'a.jpg', width: 40, height: 30 }],
      categories: [{ id: 1, name: 'cell' }],
      annotations: [
        {
          id: 1,
          image_id: 1,
          category_id: 1,
          iscrowd: 1,
          segmentation: { size: [3, 4], counts: [0, 3, 9] },
          bbox: [0, 0, 1, 3],
        },
      ],
    }
    const { status, body } = await importWithImage('coco', 'instances.json', JSON.stringify(coco))
    expect(status).toBe(400)
    expect(body.error.details).toMatchObject({ file: 'a.jpg', where: 'regions[0]' })
    expect(body.error.message).toMatch(/4x3 mask on an image displayed at 40x30/)
  })

  it('refuses a CVAT mask on an image the file gives another size', async () => {
    const xml = `<annotations><version>1.1</version>
      <image id="0" name="a.jpg" width="80" height="60">
        <mask label="cell" rle="0, 2, 2" left="0" top="0" width="2" height="2"/>
      </image></annotations>`
    const { status, body } = await importWithImage('cvat', 'annotations.xml', xml)
    expect(status).toBe(400)
    expect(body.error.message).toMatch(/80x60 mask on an image displayed at 40x30/)
  })
})
