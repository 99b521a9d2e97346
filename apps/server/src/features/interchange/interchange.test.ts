import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { unzipToFileSet, zipFileSet } from '@concord/shared/formats/zip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const cocoDir = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco',
)
/** A whole COCO folder of every task, panoptic PNGs included. */
const cocoFolder = path.resolve(repoRoot, '../shared/data/datumaro/tests/assets/coco_dataset/coco')

type CocoFile = {
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string }[]
  annotations: {
    id: number
    image_id: number
    category_id: number
    bbox: number[]
    segmentation: number[][]
  }[]
}

let t: TestApp
let lead: string
let original: CocoFile
let originalText: string

async function newProject(name: string): Promise<string> {
  const res = await t.request('/api/projects', { json: { name }, cookie: lead })
  return (await res.json()).id
}

async function uploadPhotos(projectId: string, prefix: string): Promise<void> {
  const form = new FormData()
  for (const image of original.images) {
    const bytes = await readFile(path.join(cocoDir, image.file_name))
    form.append(
      'file',
      new Blob([new Uint8Array(bytes)]),
      `${prefix}${path.posix.basename(image.file_name)}`,
    )
  }
  const res = await t.request(`/api/projects/${projectId}/assets`, {
    method: 'POST',
    body: form,
    cookie: lead,
  })
  expect(res.status).toBe(201)
}

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
  originalText = await readFile(path.join(cocoDir, 'annotations.json'), 'utf8')
  original = JSON.parse(originalText)
})
afterAll(() => t.close())

/** Annotations keyed by image file name and category name, in file order. */
function byImageAndCategory(coco: CocoFile) {
  const fileOf = new Map(coco.images.map((i) => [i.id, path.posix.basename(i.file_name)]))
  const nameOf = new Map(coco.categories.map((c) => [c.id, c.name]))
  const out = new Map<string, CocoFile['annotations']>()
  for (const ann of coco.annotations) {
    const key = `${fileOf.get(ann.image_id)}|${nameOf.get(ann.category_id)}`
    out.set(key, [...(out.get(key) ?? []), ann])
  }
  return out
}

describe('COCO through the routes', () => {
  it('round-trips the labelme COCO file: every box and polygon point within 1e-6 (clipped to the image), categories kept', async () => {
    const projectId = await newProject('COCO round trip')
    await uploadPhotos(projectId, 'JPEGImages/')

    const imported = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: originalText,
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    expect(imported.status).toBe(200)
    const result = await imported.json()
    expect(result.imported).toEqual({
      images: original.images.length,
      regions: original.annotations.length,
      labels: original.categories.length,
      assets: 0,
    })

    const assets = (
      await (await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })).json()
    ).assets
    const total = assets.reduce((sum: number, a: { regionCount: number }) => sum + a.regionCount, 0)
    expect(total).toBe(original.annotations.length)

    const exported = await t.request(`/api/projects/${projectId}/export?format=coco`, {
      cookie: lead,
    })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/)
    expect(JSON.parse(exported.headers.get('x-concord-report') ?? 'null')).toHaveProperty(
      'lossiness',
    )
    const back = (await exported.json()) as CocoFile & Record<string, unknown>

    // What COCO carries beyond the annotations comes back too: the file's info and licenses
    // blocks, and each image's license and date_captured.
    expect(back.info).toEqual((original as unknown as Record<string, unknown>).info)
    expect(back.licenses).toEqual((original as unknown as Record<string, unknown>).licenses)
    const imageExtras = (images: CocoFile['images']) =>
      images
        .map((i) => {
          const { license, date_captured } = i as unknown as Record<string, unknown>
          return [path.posix.basename(i.file_name), license, date_captured]
        })
        .sort()
    expect(imageExtras(back.images)).toEqual(imageExtras(original.images))

    expect(back.categories.map((c) => c.name)).toEqual(original.categories.map((c) => c.name))
    expect(back.images.map((i) => [i.file_name, i.width, i.height]).sort()).toEqual(
      original.images.map((i) => [i.file_name, i.width, i.height]).sort(),
    )
    const want = byImageAndCategory(original)
    const got = byImageAndCategory(back)
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [key, anns] of want) {
      const mine = got.get(key) ?? []
      expect(mine.length, key).toBe(anns.length)
      // Several instances of one class in an image: compare in a stable order (by box).
      const order = (list: CocoFile['annotations']) =>
        [...list].sort((a, b) => a.bbox[0]! - b.bbox[0]! || a.bbox[1]! - b.bbox[1]!)
      const [a, b] = [order(anns), order(mine)]
      const image = original.images.find((i) => i.id === anns[0]!.image_id)!
      const inImage = (ring: number[]) =>
        ring.every((v, k) => v >= 0 && v <= (k % 2 === 0 ? image.width : image.height))
      a.forEach((ann, i) => {
        const other = b[i]!
        // labelme leaves vertices a hair past the edge (375.38 on a 375 px image): the export
        // clips those polygons to the image, and the rest comes back exactly.
        if (!ann.segmentation.every(inImage)) {
          expect(other.segmentation.every(inImage), `${key} clipped`).toBe(true)
          return
        }
        ann.bbox.forEach((v, k) =>
          expect(Math.abs(v - other.bbox[k]!), `${key} bbox`).toBeLessThan(1e-6),
        )
        expect(other.segmentation.length).toBe(ann.segmentation.length)
        ann.segmentation.forEach((ring, r) => {
          expect(other.segmentation[r]!.length).toBe(ring.length)
          ring.forEach((v, k) =>
            expect(Math.abs(v - other.segmentation[r]![k]!), `${key} point`).toBeLessThan(1e-6),
          )
        })
      })
    }
  })

  it('matches images by base name and warns about images the project lacks', async () => {
    const projectId = await newProject('COCO partial')
    const form = new FormData()
    const first = original.images[0]!
    form.append(
      'file',
      new Blob([new Uint8Array(await readFile(path.join(cocoDir, first.file_name)))]),
      'elsewhere/' + path.posix.basename(first.file_name),
    )
    await t.request(`/api/projects/${projectId}/assets`, {
      method: 'POST',
      body: form,
      cookie: lead,
    })

    const res = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: originalText,
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    const result = await res.json()
    const expectedRegions = original.annotations.filter((a) => a.image_id === first.id).length
    expect(result.imported.images).toBe(1)
    expect(result.imported.regions).toBe(expectedRegions)
    const unmatched = result.warnings.filter((w: { code: string }) => w.code === 'unmatched-image')
    expect(unmatched).toHaveLength(original.images.length - 1)
  })

  it('refuses a malformed file whole with 400 naming the place, writing nothing', async () => {
    const projectId = await newProject('COCO broken')
    await uploadPhotos(projectId, '')
    const broken = JSON.parse(originalText) as CocoFile
    broken.annotations[broken.annotations.length - 1]!.category_id = 999
    const res = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: JSON.stringify(broken),
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid_format')
    expect(error.details.where).toContain('category_id')
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.labels).toEqual([])
    await t.ctx.documents.flush()
    const assets = (
      await (await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })).json()
    ).assets
    expect(assets.every((a: { regionCount: number }) => a.regionCount === 0)).toBe(true)
  })

  it('refuses an unknown format with 400 naming the query field', async () => {
    const projectId = await newProject('COCO format')
    const res = await t.request(`/api/projects/${projectId}/import?format=pascal`, {
      body: '{}',
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.path).toEqual(['format'])
  })

  it('exports a zip with the images and report.json when asked for images', async () => {
    const projectId = await newProject('COCO zip')
    await uploadPhotos(projectId, 'JPEGImages/')
    await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: originalText,
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    const res = await t.request(`/api/projects/${projectId}/export?format=coco&images=true`, {
      cookie: lead,
    })
    expect(res.headers.get('content-type')).toBe('application/zip')
    const files = unzipToFileSet(new Uint8Array(await res.arrayBuffer()))
    const names = [...files.keys()].sort()
    expect(names).toEqual(
      [
        'annotations.json',
        'concord-report.json',
        ...original.images.map((i) => i.file_name),
      ].sort(),
    )
  })

  it('imports a zip of annotation files and exports YOLO as a zip with its report', async () => {
    const projectId = await newProject('COCO zipped')
    await uploadPhotos(projectId, 'JPEGImages/')
    const zip = zipFileSet(
      new Map([['annotations/instances_train.json', new TextEncoder().encode(originalText)]]),
    )
    const res = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: zip,
      headers: { 'content-type': 'application/zip' },
      cookie: lead,
    })
    expect(res.status).toBe(200)
    expect((await res.json()).imported.regions).toBe(original.annotations.length)

    const yolo = await t.request(`/api/projects/${projectId}/export?format=yolo`, { cookie: lead })
    expect(yolo.status).toBe(200)
    expect(yolo.headers.get('content-type')).toBe('application/zip')
    const files = unzipToFileSet(new Uint8Array(await yolo.arrayBuffer()))
    expect(files.has('data.yaml')).toBe(true)
    const report = JSON.parse(new TextDecoder().decode(files.get('concord-report.json')))
    // YOLO detection carries boxes only: the polygons must be listed as lossy, not dropped silently.
    expect(report.lossiness.some((l: { kind: string }) => l.kind === 'polygon')).toBe(true)
  })

  it('adds the photos of a zipped COCO folder as images, and not its panoptic PNGs', async () => {
    const projectId = await newProject('COCO folder')
    const files = new Map<string, Uint8Array>()
    for (const entry of await readdir(cocoFolder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue
      const full = path.join(entry.parentPath, entry.name)
      files.set(path.relative(cocoFolder, full).split(path.sep).join('/'), await readFile(full))
    }
    expect(files.has('annotations/panoptic_val/b.png')).toBe(true)
    const res = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: zipFileSet(files),
      headers: { 'content-type': 'application/zip' },
      cookie: lead,
    })
    const body = await res.json()
    expect(res.status, JSON.stringify(body)).toBe(200)
    await t.ctx.documents.flush()
    const { assets } = await (
      await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
    ).json()
    const names = assets.map((a: { fileName: string }) => a.fileName).sort()
    expect(names).toEqual(['images/train/a.jpg', 'images/val/b.jpg'])
    expect(assets.every((a: { regionCount: number }) => a.regionCount > 0)).toBe(true)
  })

  it('lets only leads import and only reviewers and leads export', async () => {
    const projectId = await newProject('COCO roles')
    await t.request('/api/users', {
      json: { email: 'ann@example.com', name: 'Ann', password: 'password-123' },
      cookie: lead,
    })
    await t.request(`/api/projects/${projectId}/members`, {
      json: { email: 'ann@example.com', role: 'annotator' },
      cookie: lead,
    })
    const ann = await t.login('ann@example.com', 'password-123')
    const imported = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: originalText,
      headers: { 'content-type': 'application/json' },
      cookie: ann,
    })
    expect(imported.status).toBe(403)
    const exported = await t.request(`/api/projects/${projectId}/export?format=coco`, {
      cookie: ann,
    })
    expect(exported.status).toBe(403)
  })
})
