import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { zipFileSet } from '@concord/shared/formats/zip'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp, type TestRequestInit } from '../../lib/testing.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
/** datumaro's CVAT for video fixture: three tracks on frames 10 to 19 of a 25x20 video. */
const forVideo = path.resolve(
  repoRoot,
  '../shared/data/datumaro/tests/assets/cvat_dataset/for_video/annotations.xml',
)

let t: TestApp
let lead: string

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
})
afterAll(() => t.close())

async function newProject(name: string): Promise<string> {
  const res = await t.request('/api/projects', { json: { name }, cookie: lead })
  return (await res.json()).id
}

async function assetsOf(projectId: string) {
  await t.ctx.documents.flush()
  const res = await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
  return (await res.json()).assets as { id: string; fileName: string; regionCount: number }[]
}

/** Blank 25x20 PNGs named as CVAT names a video's frames, with a folder when given. */
async function frames(folder: string): Promise<Map<string, Uint8Array>> {
  const png = await sharp({ create: { width: 25, height: 20, channels: 3, background: '#888' } })
    .png()
    .toBuffer()
  const files = new Map<string, Uint8Array>()
  for (const frame of [10, 13, 16, 19]) {
    files.set(`${folder}frame_${String(frame).padStart(6, '0')}.png`, new Uint8Array(png))
  }
  return files
}

function importBody(projectId: string, query: string, body: string | Uint8Array, type: string) {
  return t.request(`/api/projects/${projectId}/import?${query}`, {
    body: body as TestRequestInit['body'],
    headers: { 'content-type': type },
    cookie: lead,
  })
}

describe('XML imports refuse what they cannot read safely', () => {
  const doctype = '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/hostname">]>'

  it.each([
    ['voc', `${doctype}\n<annotation><filename>a.jpg</filename><folder>&e;</folder></annotation>`],
    ['cvat', `${doctype}\n<annotations><version>1.1</version><meta>&e;</meta></annotations>`],
  ])(
    'answers 400 naming the file and line of a %s DOCTYPE with an external entity',
    async (format, xml) => {
      const projectId = await newProject(`DOCTYPE ${format}`)
      const res = await importBody(
        projectId,
        `format=${format}&fileName=annotations.xml`,
        xml,
        'application/xml',
      )
      const body = await res.json()
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(body.error.code).toBe('invalid_format')
      expect(body.error.details).toMatchObject({
        file: 'annotations.xml',
        where: 'line 1:1 (DOCTYPE)',
      })
      expect(body.error.message).toMatch(/declares entities, which are not read/)
    },
  )
})

describe('CVAT for video', () => {
  // Track shapes not `outside`: a box and three points on frame 10, a polyline on frame 13.
  const expected = [
    ['frame_000010.png', 2],
    ['frame_000013.png', 1],
    ['frame_000016.png', 0],
    ['frame_000019.png', 0],
  ]

  it('puts the regions of each frame on the image of that frame carried in the zip', async () => {
    const projectId = await newProject('CVAT video in a zip')
    const files = await frames('images/')
    files.set('annotations.xml', new Uint8Array(await readFile(forVideo)))
    const res = await importBody(projectId, 'format=cvat', zipFileSet(files), 'application/zip')
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.imported.regions).toBe(3)
    expect(body.warnings.filter((w: { code: string }) => w.code === 'unmatched-image')).toEqual([])
    const assets = await assetsOf(projectId)
    expect(assets.map((a) => [path.basename(a.fileName), a.regionCount]).sort()).toEqual(expected)
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/tracks read as shapes/) }),
    )

    // Its export with images goes back in whole: frames keep their extension in the zip.
    const exported = await t.request(`/api/projects/${projectId}/export?format=cvat&images=true`, {
      cookie: lead,
    })
    const zip = new Uint8Array(await exported.arrayBuffer())
    const again = await newProject('CVAT video again')
    const back = await importBody(again, 'format=cvat', zip, 'application/zip')
    const backBody = await back.json()
    expect(back.status, JSON.stringify(backBody)).toBe(200)
    expect(backBody.imported).toMatchObject({ regions: 3, assets: 4 })
    const copies = await assetsOf(again)
    expect(copies.map((a) => [path.basename(a.fileName), a.regionCount]).sort()).toEqual(expected)
  })

  it('puts them on frames uploaded before the annotations', async () => {
    const projectId = await newProject('CVAT video uploaded')
    const form = new FormData()
    for (const [name, bytes] of await frames('')) form.append('file', new Blob([bytes]), name)
    const upload = await t.request(`/api/projects/${projectId}/assets`, {
      body: form,
      cookie: lead,
    })
    expect(upload.status).toBe(201)
    const xml = await readFile(forVideo, 'utf8')
    const res = await importBody(projectId, 'format=cvat', xml, 'application/xml')
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    expect(body.imported.regions).toBe(3)
    const assets = await assetsOf(projectId)
    expect(assets.map((a) => [a.fileName, a.regionCount]).sort()).toEqual(expected)
  })
})
