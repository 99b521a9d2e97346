import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { zipFileSet } from '@concord/shared/formats/zip'
import { and, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { regions } from '../../db/schema.ts'
import { ADMIN, createTestApp, type TestApp, type TestRequestInit } from '../../lib/testing.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const cocoDir = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco',
)

type Coco = {
  images: { id: number; file_name: string; width: number; height: number }[]
  categories: { id: number; name: string }[]
  annotations: { id: number; image_id: number; category_id: number; bbox: number[] }[]
}

let t: TestApp
let lead: string
let cocoText: string
let coco: Coco

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
  cocoText = await readFile(path.join(cocoDir, 'annotations.json'), 'utf8')
  coco = JSON.parse(cocoText)
})
afterAll(() => t.close())

async function newProject(name: string): Promise<string> {
  return (await (await t.request('/api/projects', { json: { name }, cookie: lead })).json()).id
}

async function photoFiles(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>()
  for (const image of coco.images) {
    files.set(image.file_name, new Uint8Array(await readFile(path.join(cocoDir, image.file_name))))
  }
  return files
}

function importBody(
  projectId: string,
  query: string,
  body: string | Uint8Array,
  type = 'application/json',
) {
  return t.request(`/api/projects/${projectId}/import?${query}`, {
    body: body as TestRequestInit['body'],
    headers: { 'content-type': type },
    cookie: lead,
  })
}

async function assetsOf(projectId: string) {
  await t.ctx.documents.flush()
  const res = await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
  return (await res.json()).assets as { id: string; fileName: string; regionCount: number }[]
}

const regionTotal = async (projectId: string) =>
  (await assetsOf(projectId)).reduce((sum, a) => sum + a.regionCount, 0)

describe('imports that carry their images', () => {
  it('adds the images of a zip as assets, then imports the annotations onto them', async () => {
    const projectId = await newProject('zip with images')
    const files = await photoFiles()
    files.set('annotations.json', new TextEncoder().encode(cocoText))
    const res = await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    expect(res.status).toBe(200)
    const result = await res.json()
    expect(result.imported.assets).toBe(coco.images.length)
    expect(result.imported.regions).toBe(coco.annotations.length)
    const assets = await assetsOf(projectId)
    expect(assets.map((a) => a.fileName).sort()).toEqual(coco.images.map((i) => i.file_name).sort())
    expect(await regionTotal(projectId)).toBe(coco.annotations.length)
  })

  it('adds no image when the annotations in the zip are malformed', async () => {
    const projectId = await newProject('zip malformed')
    const broken = JSON.parse(cocoText) as Coco
    broken.annotations[0]!.category_id = 12345
    const files = await photoFiles()
    files.set('annotations.json', new TextEncoder().encode(JSON.stringify(broken)))
    const res = await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.where).toContain('category_id')
    expect(await assetsOf(projectId)).toEqual([])
  })

  it("adds a labelme file's embedded imageData as an asset with its displayed size", async () => {
    const projectId = await newProject('labelme inline')
    const png = await sharp({
      create: { width: 40, height: 30, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer()
    const doc = {
      version: '5.4.1',
      flags: {},
      shapes: [
        {
          label: 'box',
          points: [
            [2, 3],
            [20, 25],
          ],
          shape_type: 'rectangle',
          group_id: null,
          flags: {},
        },
      ],
      imagePath: 'inline.png',
      imageData: png.toString('base64'),
      imageHeight: 30,
      imageWidth: 40,
    }
    const res = await importBody(
      projectId,
      'format=labelme&fileName=inline.json',
      JSON.stringify(doc),
    )
    expect(res.status).toBe(200)
    expect((await res.json()).imported).toMatchObject({ assets: 1, regions: 1 })
    const [asset] = await assetsOf(projectId)
    expect(asset).toMatchObject({ fileName: 'inline.png', width: 40, height: 30, regionCount: 1 })

    // Another file embeds another picture under the same name: it is its own image.
    const other = await sharp({
      create: { width: 60, height: 20, channels: 3, background: '#993311' },
    })
      .png()
      .toBuffer()
    const second = { ...doc, imageData: other.toString('base64'), imageWidth: 60, imageHeight: 20 }
    const again = await importBody(
      projectId,
      'format=labelme&fileName=other.json',
      JSON.stringify(second),
    )
    const body = await again.json()
    expect(again.status, JSON.stringify(body)).toBe(200)
    expect(body.imported).toMatchObject({ assets: 1, regions: 1 })
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/not the project's inline\.png/) }),
    )
    const assets = await assetsOf(projectId)
    expect(assets).toHaveLength(2)
    expect(assets.find((a) => a.fileName === 'inline.png')).toMatchObject({
      width: 40,
      regionCount: 1,
    })
    expect(assets.find((a) => a.fileName !== 'inline.png')).toMatchObject({
      width: 60,
      height: 20,
      regionCount: 1,
    })

    // The first file again puts its regions on its own image, adding nothing.
    const first = await importBody(
      projectId,
      'format=labelme&fileName=inline.json',
      JSON.stringify(doc),
    )
    expect((await first.json()).imported).toMatchObject({ assets: 0, regions: 1 })
    expect((await assetsOf(projectId)).find((a) => a.fileName === 'inline.png')).toMatchObject({
      regionCount: 2,
    })
  })
})

describe('import modes', () => {
  it('doubles regions on a second append and keeps one copy on a replace', async () => {
    const projectId = await newProject('modes')
    const files = await photoFiles()
    files.set('annotations.json', new TextEncoder().encode(cocoText))
    await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    const n = coco.annotations.length

    await importBody(projectId, 'format=coco', cocoText)
    expect(await regionTotal(projectId)).toBe(2 * n)

    const replaced = await importBody(projectId, 'format=coco&mode=replace', cocoText)
    expect((await replaced.json()).mode).toBe('replace')
    expect(await regionTotal(projectId)).toBe(n)
  })

  it('refuses an unknown mode with 400 naming the field', async () => {
    const projectId = await newProject('bad mode')
    const res = await importBody(projectId, 'format=coco&mode=merge', cocoText)
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.path).toEqual(['mode'])
  })
})

describe('COCO results', () => {
  it('writes predictions with their scores into the model run layer, ids as the COCO export numbers them', async () => {
    const projectId = await newProject('results')
    const files = await photoFiles()
    files.set('annotations.json', new TextEncoder().encode(cocoText))
    await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    const exported = (await (
      await t.request(`/api/projects/${projectId}/export?format=coco`, { cookie: lead })
    ).json()) as Coco
    const results = exported.annotations.map((a, i) => ({
      image_id: a.image_id,
      category_id: a.category_id,
      bbox: a.bbox,
      score: (i + 1) / (exported.annotations.length + 1),
    }))

    const res = await importBody(
      projectId,
      'format=coco-results&run=detr-1',
      JSON.stringify(results),
    )
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ layer: 'model:detr-1', runId: 'detr-1' })
    expect(body.imported.regions).toBe(results.length)

    await t.ctx.documents.flush()
    const rows = await t.ctx.database.db
      .select()
      .from(regions)
      .where(and(eq(regions.projectId, projectId), eq(regions.layer, 'model:detr-1')))
    expect(rows).toHaveLength(results.length)
    expect(rows.every((r) => r.source === 'model')).toBe(true)
    expect(rows.map((r) => r.score).sort()).toEqual(results.map((r) => r.score).sort())
    // The consensus layer is untouched by predictions.
    expect(await regionTotal(projectId)).toBe(coco.annotations.length)
  })

  it('makes a new run id when none is given, and resolves ids from an instances file in the zip', async () => {
    const projectId = await newProject('results ids')
    const photos = await photoFiles()
    const upload = new FormData()
    for (const [name, bytes] of photos)
      upload.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name)
    await t.request(`/api/projects/${projectId}/assets`, {
      method: 'POST',
      body: upload,
      cookie: lead,
    })
    const first = coco.annotations[0]!
    const results = [
      { image_id: first.image_id, category_id: first.category_id, bbox: first.bbox, score: 0.9 },
    ]
    const zip = zipFileSet(
      new Map([
        ['instances.json', new TextEncoder().encode(cocoText)],
        ['results.json', new TextEncoder().encode(JSON.stringify(results))],
      ]),
    )
    const res = await importBody(projectId, 'format=coco-results', zip, 'application/zip')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.runId).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(body.layer).toBe(`model:${body.runId}`)
    await t.ctx.documents.flush()
    const rows = await t.ctx.database.db.select().from(regions).where(eq(regions.layer, body.layer))
    const image = coco.images.find((i) => i.id === first.image_id)!
    const asset = (await assetsOf(projectId)).find((a) => a.fileName === image.file_name)!
    expect(rows.map((r) => r.assetId)).toEqual([asset.id])
    const label = coco.categories.find((c) => c.id === first.category_id)!.name
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.labels.find((l: { id: string }) => l.id === rows[0]!.labelId).name).toBe(label)
  })
})

describe('images that share a file name across subsets', () => {
  const png = (width: number) =>
    sharp({ create: { width, height: 50, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
  const yoloLabels = (entries: Record<string, string>) => {
    const files = new Map<string, Uint8Array>([
      [
        'data.yaml',
        new TextEncoder().encode('names: [thing]\ntrain: images/train\nval: images/val\n'),
      ],
    ])
    for (const [name, text] of Object.entries(entries)) {
      files.set(name, new TextEncoder().encode(text))
    }
    return zipFileSet(files)
  }
  const upload = async (projectId: string, names: Record<string, number>) => {
    const form = new FormData()
    for (const [name, width] of Object.entries(names)) {
      form.append('file', new Blob([await png(width)], { type: 'image/png' }), name)
    }
    const res = await t.request(`/api/projects/${projectId}/assets`, {
      body: form,
      cookie: lead,
    })
    expect(res.status).toBe(201)
  }

  it('puts each split’s labels on the image in that split', async () => {
    const projectId = await newProject('two splits')
    await upload(projectId, { 'images/train/frame.png': 100, 'images/val/frame.png': 60 })
    const zip = yoloLabels({
      'labels/train/frame.txt': '0 0.5 0.5 0.2 0.2\n',
      'labels/val/frame.txt': '0 0.5 0.5 0.2 0.2\n0 0.2 0.2 0.1 0.1\n',
    })
    const res = await importBody(projectId, 'format=yolo', zip, 'application/zip')
    expect(res.status).toBe(200)
    const counts = Object.fromEntries(
      (await assetsOf(projectId)).map((a) => [a.fileName, a.regionCount]),
    )
    expect(counts).toEqual({ 'images/train/frame.png': 1, 'images/val/frame.png': 2 })
  })

  it('imports neither of two splits onto the one image both could mean, and says so', async () => {
    const projectId = await newProject('one image, two splits')
    await upload(projectId, { 'frame.png': 100 })
    const zip = yoloLabels({
      'labels/train/frame.txt': '0 0.5 0.5 0.2 0.2\n',
      'labels/val/frame.txt': '0 0.5 0.5 0.2 0.2\n',
    })
    const res = await importBody(projectId, 'format=yolo', zip, 'application/zip')
    const result = await res.json()
    expect(await regionTotal(projectId)).toBe(0)
    expect(JSON.stringify(result.warnings)).toMatch(/both match the image frame\.png/)
  })
})

describe('exports that go back in', () => {
  it.each(['labelme', 'coco', 'labelstudio', 'yolo'])(
    'imports its own %s zip with the images into a new project, regions and all',
    async (format) => {
      const source = await newProject(`${format} source`)
      const files = await photoFiles()
      files.set('annotations.json', new TextEncoder().encode(cocoText))
      await importBody(source, 'format=coco', zipFileSet(files), 'application/zip')
      const exported = await t.request(
        `/api/projects/${source}/export?format=${format}&images=true`,
        { cookie: lead },
      )
      expect(exported.headers.get('content-type')).toMatch(/zip/)
      const zip = new Uint8Array(await exported.arrayBuffer())
      const target = await newProject(`${format} target`)
      const res = await importBody(target, `format=${format}`, zip, 'application/zip')
      expect(res.status).toBe(200)
      const [before, after] = [await regionTotal(source), await regionTotal(target)]
      // labelme and Label Studio write a multi-part polygon as one shape per part.
      if (format === 'coco' || format === 'yolo') expect(after).toBe(before)
      else expect(after).toBeGreaterThan(before)
    },
  )
})

describe('format options', () => {
  it('refuses an option value the format does not take, on import and export', async () => {
    const projectId = await newProject('options')
    const exported = await t.request(
      `/api/projects/${projectId}/export?format=yolo&task=classify`,
      {
        cookie: lead,
      },
    )
    expect(exported.status).toBe(400)
    expect((await exported.json()).error).toMatchObject({ code: 'invalid_format' })
    const voc = '<annotation><filename>a.jpg</filename></annotation>'
    const imported = await importBody(
      projectId,
      'format=voc&convention=1-based',
      voc,
      'application/xml',
    )
    expect(imported.status).toBe(400)
    expect((await imported.json()).error.message).toMatch(/convention/)
  })

  it('reads a body sent as text/plain or octet-stream as the format expects, JSON Lines sent as JSON too', async () => {
    const projectId = await newProject('vague types')
    const coco = JSON.stringify({
      images: [],
      annotations: [],
      categories: [{ id: 1, name: 'cat' }],
    })
    for (const type of ['text/plain', 'application/octet-stream']) {
      const res = await importBody(projectId, 'format=coco', coco, type)
      expect(res.status, type).toBe(200)
    }
    const jsonl = `${JSON.stringify({ format: 'concord', version: 1, labels: [{ name: 'dog' }] })}\n`
    const lines = await importBody(projectId, 'format=concord', jsonl, 'application/json')
    expect(lines.status).toBe(200)
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.labels.map((l: { name: string }) => l.name).sort()).toEqual(['cat', 'dog'])
  })

  it('refuses an option name neither the route nor the format reads, changing nothing', async () => {
    const projectId = await newProject('misspelt options')
    const misspelt = await importBody(
      projectId,
      'format=labelme&mdoe=replace',
      '{}',
      'application/json',
    )
    expect(misspelt.status).toBe(400)
    const { error } = await misspelt.json()
    expect(error.message).toMatch(
      /Unknown option "mdoe": a labelme import takes format, fileName, mode/,
    )
    expect(error.details.path).toEqual(['mdoe'])
    const exported = await t.request(`/api/projects/${projectId}/export?format=yolo&tsk=segment`, {
      cookie: lead,
    })
    expect(exported.status).toBe(400)
    expect((await exported.json()).error.message).toMatch(
      /"tsk": a yolo export takes format, images, task/,
    )
    const job = await t.request(`/api/projects/${projectId}/exports`, {
      json: { format: 'voc', options: { segmentaton: 'never' } },
      cookie: lead,
    })
    expect(job.status).toBe(400)
    // Every option the UI offers is one the format takes.
    for (const [format, query] of [
      ['coco', 'crowd=skip&rle=compressed'],
      ['yolo', 'task=segment'],
      ['voc', 'convention=zero-based-continuous&segmentation=false'],
      ['labelme', 'flavour=anylabeling'],
      ['labelstudio', 'fromName=label&toName=image&choiceFromName=choice'],
    ]) {
      const res = await t.request(`/api/projects/${projectId}/export?format=${format}&${query}`, {
        cookie: lead,
      })
      expect(res.status, format).toBe(200)
    }
  })
})

describe('whole-image tags', () => {
  const classification = path.resolve(
    repoRoot,
    '../shared/data/labelme/examples/classification/data_annotated',
  )

  it('keeps labelme flags as tags of the image and writes them back out', async () => {
    const projectId = await newProject('tags')
    const files = new Map<string, Uint8Array>()
    for (const name of ['0001.jpg', '0001.json', '0002.jpg', '0002.json']) {
      files.set(name, new Uint8Array(await readFile(path.join(classification, name))))
    }
    const res = await importBody(projectId, 'format=labelme', zipFileSet(files), 'application/zip')
    expect(res.status).toBe(200)
    const exported = await t.request(`/api/projects/${projectId}/export?format=concord`, {
      cookie: lead,
    })
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const tagsOf = Object.fromEntries(
      lines.filter((l) => l.path).map((l) => [l.path, l.tags as string[]]),
    )
    const original = (name: string) =>
      readFile(path.join(classification, name), 'utf8').then((text) =>
        Object.entries(JSON.parse(text).flags as Record<string, boolean>)
          .filter(([, on]) => on)
          .map(([flag]) => flag),
      )
    expect(tagsOf['0001.jpg']).toEqual(await original('0001.json'))
    expect(tagsOf['0002.jpg']).toEqual(await original('0002.json'))

    // A streamed COCO export, which cannot carry them, says so before its body.
    await t.ctx.documents.flush()
    const coco = await t.request(`/api/projects/${projectId}/export?format=coco`, { cookie: lead })
    const header = JSON.parse(coco.headers.get('x-concord-report') ?? '{}')
    expect(header.lossiness).toContainEqual({
      kind: 'tag',
      count: 2,
      reason: 'COCO instances have no image-level tags',
    })
  })
})

describe('photos whose EXIF orientation turns them', () => {
  const photo = path.resolve(repoRoot, '../shared/cases/yolo-import-exif-rotated/images/photo.jpg')
  // Stored 100 x 40, EXIF orientation 6: displayed 40 x 100. LabelImg writes the stored pixels.
  const vocXml = (width: number, height: number) =>
    `<annotation><filename>photo.jpg</filename><size><width>${width}</width><height>${height}</height><depth>3</depth></size>
      <object><name>cat</name><bndbox><xmin>11</xmin><ymin>5</ymin><xmax>90</xmax><ymax>20</ymax></bndbox></object></annotation>`
  const cocoOf = (width: number, height: number, bbox = [10, 4, 80, 16]) =>
    JSON.stringify({
      images: [{ id: 1, file_name: 'photo.jpg', width, height }],
      categories: [{ id: 1, name: 'cat' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox, area: bbox[2]! * bbox[3]! }],
    })
  const exportedBox = async (projectId: string) => {
    const res = await t.request(`/api/projects/${projectId}/export?format=coco`, { cookie: lead })
    return (await res.json()).annotations.map((a: { bbox: number[] }) => a.bbox)
  }

  it('turns boxes written against the stored size to the displayed image, and says so', async () => {
    const bytes = new Uint8Array(await readFile(photo))
    for (const [format, file, text] of [
      ['voc', 'Annotations/photo.xml', vocXml(100, 40)],
      ['coco', 'annotations.json', cocoOf(100, 40)],
    ] as const) {
      const projectId = await newProject(`EXIF ${format}`)
      const files = new Map([
        [file, new TextEncoder().encode(text)],
        [format === 'voc' ? 'JPEGImages/photo.jpg' : 'photo.jpg', bytes],
      ])
      const res = await importBody(
        projectId,
        `format=${format}`,
        zipFileSet(files),
        'application/zip',
      )
      const body = await res.json()
      expect(res.status, JSON.stringify(body)).toBe(200)
      expect(body.warnings, format).toContainEqual(
        expect.objectContaining({ message: expect.stringMatching(/EXIF orientation/), count: 1 }),
      )
      expect(
        body.warnings.some((w: { code: string }) => w.code === 'clamped'),
        format,
      ).toBe(false)
      // Stored x 10..90, y 4..20 turned a quarter clockwise: x 40-20..40-4, y 10..90.
      expect(await exportedBox(projectId), format).toEqual([[20, 10, 16, 80]])
    }
  })

  it('says regions of a file that gives another size are kept unscaled', async () => {
    const bytes = new Uint8Array(await readFile(photo))
    const projectId = await newProject('EXIF other size')
    const files = new Map([
      ['annotations.json', new TextEncoder().encode(cocoOf(20, 50, [4, 10, 8, 20]))],
      ['photo.jpg', bytes],
    ])
    const res = await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    const body = await res.json()
    expect(body.warnings).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(
          /the file says 20x50, the image is displayed at 40x100; .*not scaled/,
        ),
      }),
    )
    expect(await exportedBox(projectId)).toEqual([[4, 10, 8, 20]])
  })

  it('leaves boxes written against the displayed size as they are', async () => {
    const bytes = new Uint8Array(await readFile(photo))
    const projectId = await newProject('EXIF displayed')
    const files = new Map([
      ['annotations.json', new TextEncoder().encode(cocoOf(40, 100, [4, 10, 32, 40]))],
      ['photo.jpg', bytes],
    ])
    const res = await importBody(projectId, 'format=coco', zipFileSet(files), 'application/zip')
    expect(res.status).toBe(200)
    expect(await exportedBox(projectId)).toEqual([[4, 10, 32, 40]])
  })
})
