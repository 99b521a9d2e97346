import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { encode as encodeBmp } from 'bmp-ts'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const casesDir = path.resolve(repoRoot, '../shared/cases')
/** Small enough that a 1 MiB noise image passes it, large enough for every other test image. */
const MAX_UPLOAD_BYTES = 200_000

let t: TestApp
let lead: string
let projectId: string

beforeAll(async () => {
  t = await createTestApp({ maxUploadBytes: MAX_UPLOAD_BYTES })
  lead = await t.login(ADMIN.email, ADMIN.password)
  const res = await t.request('/api/projects', { json: { name: 'Uploads' }, cookie: lead })
  projectId = (await res.json()).id
})
afterAll(() => t.close())

/** A solid image of `width`×`height` in a format sharp writes. */
function solid(width: number, height: number, format: 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif') {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .toFormat(format)
    .toBuffer()
}

/** A red 24-bit BMP (bmp-ts takes pixels as ABGR). */
function redBmp(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set([0, 0, 0, 255], i * 4)
  return new Uint8Array(encodeBmp({ width, height, data, bitPP: 24 }).data)
}

async function upload(files: { name: string; bytes: Uint8Array; type?: string }[]) {
  const form = new FormData()
  for (const f of files)
    form.append('file', new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }), f.name)
  return t.request(`/api/projects/${projectId}/assets`, {
    method: 'POST',
    body: form,
    cookie: lead,
  })
}

describe('uploads', () => {
  it('takes JPEG, PNG, WebP, BMP, TIFF and GIF, refusing a text file and an oversize file while the rest go in', async () => {
    const noise = await sharp(
      Buffer.alloc(600 * 600 * 3).map(() => Math.floor(Math.random() * 256)),
      {
        raw: { width: 600, height: 600, channels: 3 },
      },
    )
      .png()
      .toBuffer()
    expect(noise.byteLength).toBeGreaterThan(MAX_UPLOAD_BYTES)
    const res = await upload([
      { name: 'a.jpg', bytes: await solid(30, 20, 'jpeg') },
      { name: 'b.png', bytes: await solid(31, 21, 'png') },
      {
        name: 'notes.txt',
        bytes: new TextEncoder().encode('not an image at all'),
        type: 'text/plain',
      },
      { name: 'c.webp', bytes: await solid(32, 22, 'webp') },
      { name: 'd.bmp', bytes: redBmp(33, 23) },
      { name: 'big.png', bytes: noise },
      { name: 'e.tiff', bytes: await solid(34, 24, 'tiff') },
      { name: 'f.gif', bytes: await solid(35, 25, 'gif') },
    ])
    expect(res.status).toBe(201)
    const body = await res.json()
    const sizes = Object.fromEntries(
      body.assets.map((a: { fileName: string; width: number; height: number }) => [
        a.fileName,
        [a.width, a.height],
      ]),
    )
    expect(sizes).toEqual({
      'a.jpg': [30, 20],
      'b.png': [31, 21],
      'c.webp': [32, 22],
      'd.bmp': [33, 23],
      'e.tiff': [34, 24],
      'f.gif': [35, 25],
    })
    const errors = Object.fromEntries(
      body.errors.map((e: { fileName: string; status: number }) => [e.fileName, e.status]),
    )
    expect(errors).toEqual({ 'notes.txt': 415, 'big.png': 413 })
  })

  it('serves a BMP as a PNG with its colours intact', async () => {
    const list = await (
      await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
    ).json()
    const bmp = list.assets.find((a: { fileName: string }) => a.fileName === 'd.bmp')
    const res = await t.request(bmp.imageUrl, { cookie: lead })
    expect(res.headers.get('content-type')).toBe('image/png')
    const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([33, 23])
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0])
  })

  it('reports the displayed size of an EXIF-rotated JPEG and serves it upright', async () => {
    const dir = path.join(casesDir, 'yolo-import-exif-rotated')
    const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8'))
    const bytes = new Uint8Array(await readFile(path.join(dir, 'images/photo.jpg')))
    const res = await upload([{ name: 'rotated/photo.jpg', bytes }])
    const [asset] = (await res.json()).assets
    expect([asset.width, asset.height]).toEqual(expected.displayed_size_wh)

    const image = await t.request(asset.imageUrl, { cookie: lead })
    expect(image.status).toBe(200)
    expect(image.headers.get('cache-control')).toContain('max-age')
    const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata()
    expect([meta.width, meta.height]).toEqual(expected.displayed_size_wh)
    expect(meta.orientation ?? 1).toBe(1)

    const again = await t.request(asset.imageUrl, {
      cookie: lead,
      headers: { 'if-none-match': image.headers.get('etag') ?? '' },
    })
    expect(again.status).toBe(304)
  })

  it('serves thumbnails as JPEG of at most 256 px', async () => {
    const res = await upload([{ name: 'wide.png', bytes: await solid(1000, 300, 'png') }])
    const [asset] = (await res.json()).assets
    const thumb = await t.request(asset.thumbnailUrl, { cookie: lead })
    expect(thumb.headers.get('content-type')).toBe('image/jpeg')
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()
    expect(meta.format).toBe('jpeg')
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(256)
  })

  it('keeps the relative path of a file name, normalised, and refuses a name taken in the project', async () => {
    const decomposed = 'cafe\u0301'
    const res = await upload([
      { name: `/set\\..\\${decomposed}/./x.png`, bytes: await solid(5, 5, 'png') },
      { name: 'a.jpg', bytes: await solid(5, 5, 'jpeg') },
    ])
    const body = await res.json()
    expect(body.assets.map((a: { fileName: string }) => a.fileName)).toEqual([
      'set/caf\u00e9/x.png',
    ])
    expect(body.errors).toMatchObject([{ fileName: 'a.jpg', code: 'conflict', status: 409 }])
  })

  it('answers with the refusal when nothing in the batch went in', async () => {
    const res = await upload([{ name: 'x.txt', bytes: new TextEncoder().encode('hello') }])
    expect(res.status).toBe(415)
    const body = await res.json()
    expect(body.error.code).toBe('unsupported_media_type')
    expect(body.errors).toHaveLength(1)
  })

  it('lists assets by file name with the consensus document name and zero regions', async () => {
    const { assets } = await (
      await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
    ).json()
    const names = assets.map((a: { fileName: string }) => a.fileName)
    expect(names).toEqual([...names].sort())
    expect(assets[0].document).toBe(`${assets[0].id}:consensus`)
    expect(assets.every((a: { regionCount: number }) => a.regionCount === 0)).toBe(true)
  })
})
