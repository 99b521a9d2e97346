import { unzipToFileSet, zipFileSet } from '@concord/shared/formats/zip'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'

let t: TestApp
let lead: string
let jpeg: Uint8Array

const enc = (text: string) => new TextEncoder().encode(text)
const dec = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
  jpeg = new Uint8Array(
    await sharp({ create: { width: 100, height: 50, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer(),
  )
})
afterAll(() => t.close())

async function newProject(name: string): Promise<string> {
  const res = await t.request('/api/projects', { json: { name }, cookie: lead })
  return (await res.json()).id
}

async function importZip(projectId: string, format: string, files: Map<string, Uint8Array>) {
  const res = await t.request(`/api/projects/${projectId}/import?format=${format}`, {
    body: zipFileSet(files),
    headers: { 'content-type': 'application/zip' },
    cookie: lead,
  })
  const body = await res.json()
  expect(res.status, JSON.stringify(body)).toBe(200)
  return body
}

async function exportFiles(projectId: string, query: string): Promise<Map<string, Uint8Array>> {
  const res = await t.request(`/api/projects/${projectId}/export?${query}`, { cookie: lead })
  expect(res.status).toBe(200)
  return unzipToFileSet(new Uint8Array(await res.arrayBuffer()))
}

async function exportJson(projectId: string, query: string) {
  const res = await t.request(`/api/projects/${projectId}/export?${query}`, { cookie: lead })
  expect(res.status).toBe(200)
  return res.json()
}

async function assetNames(projectId: string): Promise<string[]> {
  const res = await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
  const body = (await res.json()) as { assets: { fileName: string }[] }
  return body.assets.map((a) => a.fileName).sort()
}

describe('an imported dataset keeps its layout on the way out', () => {
  const yoloZip = () =>
    new Map([
      ['data.yaml', enc('names: [cat, dog]\ntrain: images/train\nval: images/val\n')],
      ['images/train/1.jpg', jpeg],
      ['labels/train/1.txt', enc('0 0.500000 0.500000 0.200000 0.400000\n')],
      ['images/val/1.jpg', jpeg],
      ['labels/val/1.txt', enc('1 0.250000 0.250000 0.100000 0.100000\n')],
    ])
  const isLayoutFile = (path: string) => /^(images|labels)\//.test(path) || path === 'data.yaml'
  const layoutOf = (files: Map<string, Uint8Array>) =>
    [...files.keys()].filter((path) => isLayoutFile(path)).sort()

  it('exports a YOLO zip with images where Ultralytics looks for them, train and val apart', async () => {
    const projectId = await newProject('YOLO layout')
    await importZip(projectId, 'yolo', yoloZip())
    const out = await exportFiles(projectId, 'format=yolo&images=true')
    expect(layoutOf(out)).toEqual([
      'data.yaml',
      'images/train/1.jpg',
      'images/val/1.jpg',
      'labels/train/1.txt',
      'labels/val/1.txt',
    ])
    expect(dec(out.get('data.yaml'))).toMatch(/val: images\/val/)
    expect(dec(out.get('labels/val/1.txt'))).toBe('1 0.250000 0.250000 0.100000 0.100000\n')

    // And again: an export imported into a new project exports the same files.
    const again = await newProject('YOLO layout again')
    await importZip(again, 'yolo', out)
    const twice = await exportFiles(again, 'format=yolo&images=true')
    expect(layoutOf(twice)).toEqual(layoutOf(out))
    expect(dec(twice.get('labels/train/1.txt'))).toBe(dec(out.get('labels/train/1.txt')))
  })

  it('matches images of one content imported back to the assets they came from', async () => {
    // train/1.jpg and val/1.jpg hold the same bytes: content alone cannot tell them apart.
    const projectId = await newProject('Same bytes back in')
    await importZip(projectId, 'yolo', yoloZip())
    const before = await assetNames(projectId)
    for (const format of ['voc', 'yolo', 'coco', 'cvat', 'labelme', 'labelstudio', 'concord']) {
      const out = await exportFiles(projectId, `format=${format}&images=true`)
      const again = await t.request(
        `/api/projects/${projectId}/import?format=${format}&mode=replace`,
        { body: zipFileSet(out), headers: { 'content-type': 'application/zip' }, cookie: lead },
      )
      const body = await again.json()
      expect(again.status, JSON.stringify(body)).toBe(200)
      expect(body.imported, format).toMatchObject({ assets: 0, regions: 2 })
      expect(await assetNames(projectId), format).toEqual(before)
      // Each split's box is back on its own image.
      const yolo = await exportFiles(projectId, 'format=yolo')
      expect(dec(yolo.get('labels/train/1.txt')), format).toMatch(/^0 /)
      expect(dec(yolo.get('labels/val/1.txt')), format).toMatch(/^1 /)
    }
  })

  it('adds no copy of bytes several images share under a name none has, and says so', async () => {
    const projectId = await newProject('Same bytes, new name')
    await importZip(projectId, 'yolo', yoloZip())
    const before = await assetNames(projectId)
    const coco = {
      images: [{ id: 1, file_name: 'z.jpg', width: 100, height: 50 }],
      categories: [{ id: 1, name: 'cat' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] }],
    }
    const body = await importZip(
      projectId,
      'coco',
      new Map([
        ['annotations.json', enc(JSON.stringify(coco))],
        ['z.jpg', jpeg],
      ]),
    )
    expect(body.imported).toMatchObject({ assets: 0, regions: 0 })
    expect(await assetNames(projectId)).toEqual(before)
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ file: 'z.jpg', message: expect.stringMatching(/same bytes as 2/) }),
    )
  })

  it('puts each image where the annotation file says it is', async () => {
    const projectId = await newProject('Image references')
    await importZip(projectId, 'yolo', yoloZip())
    const studio = await exportFiles(projectId, 'format=labelstudio&images=true')
    const tasks = JSON.parse(dec(studio.get('tasks.json'))) as { data: { image: string } }[]
    expect(tasks).toHaveLength(2)
    for (const task of tasks) expect([...studio.keys()]).toContain(task.data.image)
    const labelme = await exportFiles(projectId, 'format=labelme&images=true')
    const shapes = [...labelme.keys()].filter(
      (name) => name.endsWith('.json') && name !== 'concord-report.json',
    )
    expect(shapes).toHaveLength(2)
    for (const name of shapes) {
      const { imagePath } = JSON.parse(dec(labelme.get(name))) as { imagePath: string }
      const folder = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : ''
      expect([...labelme.keys()]).toContain(`${folder}${imagePath}`)
    }
    const cvat = await exportFiles(projectId, 'format=cvat&images=true')
    // CVAT names an image within its subset; the zip keeps subsets in folders.
    const xml = dec(cvat.get('annotations.xml'))
    const names = [...xml.matchAll(/<image [^>]*name="([^"]+)" subset="([^"]+)"/g)]
    expect(names).toHaveLength(2)
    for (const [, name, subset] of names) expect([...cvat.keys()]).toContain(`${subset}/${name}`)
  })

  it('gives an upload a name of its own where an imported image of its subset and path is', async () => {
    const projectId = await newProject('Upload beside import')
    await importZip(projectId, 'yolo', yoloZip())
    const other = new Uint8Array(
      await sharp({ create: { width: 100, height: 50, channels: 3, background: '#40a060' } })
        .jpeg()
        .toBuffer(),
    )
    const form = new FormData()
    form.append('file', new Blob([other], { type: 'image/jpeg' }), 'train/1.jpg')
    const uploaded = await t.request(`/api/projects/${projectId}/assets`, {
      method: 'POST',
      body: form,
      cookie: lead,
    })
    expect(uploaded.status).toBeLessThan(300)
    expect(await assetNames(projectId)).toContain('train/1.jpg')
    for (const format of ['coco', 'voc', 'labelme', 'cvat']) {
      const res = await t.request(
        `/api/projects/${projectId}/export?format=${format}&images=true`,
        {
          cookie: lead,
        },
      )
      const files = unzipToFileSet(new Uint8Array(await res.arrayBuffer()))
      const images = [...files.entries()].filter(([name]) => name.endsWith('.jpg'))
      // Three images, none written over another: the upload's bytes are there.
      expect(images, format).toHaveLength(3)
      expect(
        images.some(([, bytes]) => Buffer.compare(bytes, other) === 0),
        format,
      ).toBe(true)
      const report = JSON.parse(res.headers.get('x-concord-report') ?? '{}')
      expect(report.warnings, format).toContainEqual(
        expect.objectContaining({
          file: 'train/1.jpg',
          message: expect.stringMatching(/1_2\.jpg/),
        }),
      )
    }
  })

  it('says an image name several images share is why an annotation matched none', async () => {
    const projectId = await newProject('Namesakes')
    await importZip(projectId, 'yolo', yoloZip())
    const coco = {
      images: [{ id: 1, file_name: '1.jpg', width: 100, height: 50 }],
      categories: [{ id: 1, name: 'cat' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5] }],
    }
    const body = await importZip(
      projectId,
      'coco',
      new Map([['annotations.json', enc(JSON.stringify(coco))]]),
    )
    expect(body.warnings).toContainEqual(
      expect.objectContaining({
        code: 'unmatched-image',
        message: expect.stringMatching(
          /1\.jpg could be any of 2 images of that name \(images\/train\/1\.jpg, images\/val\/1\.jpg\)/,
        ),
      }),
    )
  })

  it('matches the images of an export imported back to the assets they came from', async () => {
    const projectId = await newProject('Export back in')
    const other = new Uint8Array(
      await sharp({ create: { width: 100, height: 50, channels: 3, background: '#204080' } })
        .jpeg()
        .toBuffer(),
    )
    const zip = yoloZip()
    zip.set('images/val/1.jpg', other)
    await importZip(projectId, 'yolo', zip)
    const before = await assetNames(projectId)
    for (const format of ['voc', 'yolo', 'coco']) {
      const out = await exportFiles(projectId, `format=${format}&images=true`)
      const again = await t.request(
        `/api/projects/${projectId}/import?format=${format}&mode=replace`,
        {
          body: zipFileSet(out),
          headers: { 'content-type': 'application/zip' },
          cookie: lead,
        },
      )
      expect(again.status).toBe(200)
      const body = await again.json()
      expect(body.imported).toMatchObject({ assets: 0, regions: 2 })
      expect(await assetNames(projectId)).toEqual(before)
    }
  })

  it('streams COCO of several subsets as one file whose names keep them apart, which imports back', async () => {
    const projectId = await newProject('COCO of subsets')
    await importZip(projectId, 'yolo', yoloZip())
    const coco = await exportJson(projectId, 'format=coco')
    expect(coco.images.map((i: { file_name: string }) => i.file_name).sort()).toEqual([
      'train/1.jpg',
      'val/1.jpg',
    ])
    const res = await t.request(`/api/projects/${projectId}/import?format=coco&mode=replace`, {
      body: JSON.stringify(coco),
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    const body = await res.json()
    expect(body.imported).toMatchObject({ images: 2, regions: 2, assets: 0 })
    expect(body.warnings).toEqual([])
  })

  it("keeps a CVAT image's subset", async () => {
    const projectId = await newProject('CVAT subsets')
    const xml = `<annotations><version>1.1</version>
<image id="0" name="a.jpg" width="100" height="50" subset="Train">
<box label="cat" xtl="10" ytl="10" xbr="20" ybr="20" occluded="0"/></image>
<image id="1" name="b.jpg" width="100" height="50" subset="Validation"/></annotations>`
    await importZip(
      projectId,
      'cvat',
      new Map([
        ['annotations.xml', enc(xml)],
        ['a.jpg', jpeg],
        ['b.jpg', jpeg],
      ]),
    )
    const res = await t.request(`/api/projects/${projectId}/export?format=cvat`, { cookie: lead })
    const back = await res.text()
    expect(back).toMatch(/name="a\.jpg"[^>]*subset="Train"/)
    expect(back).toMatch(/name="b\.jpg"[^>]*subset="Validation"/)
  })

  it("adds a VOC zip's photos as images, and not its segmentation PNGs", async () => {
    const projectId = await newProject('VOC segmentation')
    const xml = `<annotation><filename>a.jpg</filename><size><width>100</width><height>50</height></size>
<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax></bndbox></object>
</annotation>`
    const index = new Uint8Array(100 * 50)
    for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) index[y * 100 + x] = 1
    // A greyscale PNG whose values are the indices, as some converters write them.
    const png = new Uint8Array(
      await sharp(index, { raw: { width: 100, height: 50, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toBuffer(),
    )
    const result = await importZip(
      projectId,
      'voc',
      new Map([
        ['VOC/Annotations/a.xml', enc(xml)],
        ['VOC/JPEGImages/a.jpg', jpeg],
        ['VOC/SegmentationObject/a.png', png],
        ['VOC/SegmentationClass/a.png', png],
      ]),
    )
    expect(result.imported).toMatchObject({ assets: 1, regions: 2 })
    expect(await assetNames(projectId)).toEqual(['VOC/JPEGImages/a.jpg'])
  })
})

describe('what an export keeps of an import', () => {
  it('lists regions in the order the file had them', async () => {
    const projectId = await newProject('Order')
    const xs = [70, 10, 0, 50, 20, 60, 40, 30]
    const coco = {
      images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 50 }],
      categories: [{ id: 1, name: 'cat' }],
      annotations: xs.map((x, i) => ({
        id: i + 1,
        image_id: 1,
        category_id: 1,
        bbox: [x, 0, 5, 5],
        area: 25,
        iscrowd: 0,
      })),
    }
    await importZip(
      projectId,
      'coco',
      new Map([
        ['annotations.json', enc(JSON.stringify(coco))],
        ['a.jpg', jpeg],
      ]),
    )
    const back = await exportJson(projectId, 'format=coco')
    expect(back.annotations.map((a: { bbox: number[] }) => a.bbox[0])).toEqual(xs)
  })

  it("keeps a category's supercategory, keypoint names and skeleton", async () => {
    const projectId = await newProject('Keypoint categories')
    const category = {
      id: 1,
      name: 'person',
      supercategory: 'human',
      keypoints: ['nose', 'left_eye', 'right_eye'],
      skeleton: [
        [1, 2],
        [1, 3],
      ],
    }
    const coco = {
      images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 50 }],
      categories: [category, { id: 2, name: 'car', supercategory: 'vehicle' }],
      annotations: [
        {
          id: 1,
          image_id: 1,
          category_id: 1,
          bbox: [10, 10, 30, 30],
          area: 900,
          iscrowd: 0,
          keypoints: [10, 20, 2, 30, 40, 1, 0, 0, 0],
          num_keypoints: 2,
        },
      ],
    }
    await importZip(
      projectId,
      'coco',
      new Map([
        ['annotations.json', enc(JSON.stringify(coco))],
        ['a.jpg', jpeg],
      ]),
    )
    const back = await exportJson(projectId, 'format=coco')
    expect(back.categories).toEqual([
      expect.objectContaining({
        name: 'person',
        supercategory: 'human',
        keypoints: category.keypoints,
        skeleton: category.skeleton,
      }),
      expect.objectContaining({ name: 'car', supercategory: 'vehicle' }),
    ])
    const person = back.annotations.find((a: { keypoints?: number[] }) => a.keypoints)
    expect(person).toMatchObject({ keypoints: [10, 20, 2, 30, 40, 1, 0, 0, 0], num_keypoints: 2 })
  })
})

describe('imports that would do nothing', () => {
  const coco = (images: number) => ({
    images: Array.from({ length: images }, (_, i) => ({
      id: i + 1,
      file_name: `missing-${i}.jpg`,
      width: 100,
      height: 50,
    })),
    categories: [{ id: 1, name: 'cat' }],
    annotations: Array.from({ length: images }, (_, i) => ({
      id: i + 1,
      image_id: i + 1,
      category_id: 1,
      bbox: [1, 1, 5, 5],
      area: 25,
      iscrowd: 0,
    })),
  })

  it('refuses a file of another format instead of importing nothing', async () => {
    const projectId = await newProject('Wrong format')
    for (const format of ['yolo', 'voc']) {
      const res = await t.request(`/api/projects/${projectId}/import?format=${format}`, {
        body: JSON.stringify(coco(1)),
        headers: { 'content-type': 'application/json' },
        cookie: lead,
      })
      expect(res.status, format).toBe(400)
      expect((await res.json()).error.message).toMatch(`Found no ${format} annotations`)
    }
    // A zip of another format that carries images is refused too, its images not added.
    const cocoZip = new Map([
      ['annotations.json', enc(JSON.stringify(coco(1)))],
      ['missing-0.jpg', jpeg],
    ])
    for (const format of ['yolo', 'voc', 'labelme', 'cvat']) {
      const res = await t.request(`/api/projects/${projectId}/import?format=${format}`, {
        body: zipFileSet(cocoZip),
        headers: { 'content-type': 'application/zip' },
        cookie: lead,
      })
      expect(res.status, format).toBe(400)
      // labelme and CVAT refuse the JSON file itself, naming what it lacks.
      const { message } = (await res.json()).error
      const expected = {
        labelme: 'annotations.json at shapes',
        cvat: 'no CVAT XML file',
      }[format]
      expect(message).toMatch(expected ?? `Found no ${format} annotations`)
    }
    expect(await assetNames(projectId)).toEqual([])
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.labels).toEqual([])
  })

  it('takes back its own VOC export of a project with image tags only', async () => {
    const projectId = await newProject('Tags only')
    const labelme = {
      version: '5.0.1',
      flags: { sunny: true },
      shapes: [],
      imagePath: 'missing-0.jpg',
      imageData: null,
      imageHeight: 50,
      imageWidth: 100,
    }
    await importZip(
      projectId,
      'labelme',
      new Map([
        ['missing-0.json', enc(JSON.stringify(labelme))],
        ['missing-0.jpg', jpeg],
      ]),
    )
    const out = await exportFiles(projectId, 'format=voc&images=true')
    expect([...out.keys()]).toContain('Annotations/missing-0.xml')
    const again = await newProject('Tags only, again')
    const body = await importZip(again, 'voc', out)
    expect(body.imported).toMatchObject({ images: 1, assets: 1, regions: 0 })
  })

  it('creates no labels when every region is left out', async () => {
    const projectId = await newProject('All outside')
    const far = {
      images: [{ id: 1, file_name: 'a.jpg', width: 100, height: 50 }],
      categories: [{ id: 1, name: 'far' }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1e9, 1e9, 5, 5] }],
    }
    const body = await importZip(
      projectId,
      'coco',
      new Map([
        ['annotations.json', enc(JSON.stringify(far))],
        ['a.jpg', jpeg],
      ]),
    )
    expect(body.imported).toMatchObject({ regions: 0, labels: 0 })
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.labels).toEqual([])
  })

  it('creates no labels when none of the images is in the project, and counts the rest of a long list', async () => {
    const projectId = await newProject('No images')
    const res = await t.request(`/api/projects/${projectId}/import?format=coco`, {
      body: JSON.stringify(coco(30)),
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.imported).toMatchObject({ regions: 0, labels: 0 })
    const unmatched = body.warnings.filter((w: { code: string }) => w.code === 'unmatched-image')
    expect(unmatched).toHaveLength(21)
    expect(unmatched[20]).toMatchObject({ count: 10, message: expect.stringMatching(/10 more/) })
  })
})

describe('names that need care', () => {
  it('takes a YOLO export of a.jpg, a.png and sub/a.jpg with their images into a new project', async () => {
    const source = await newProject('Same stems')
    const png = new Uint8Array(
      await sharp({ create: { width: 100, height: 50, channels: 3, background: '#102030' } })
        .png()
        .toBuffer(),
    )
    const deeper = new Uint8Array(
      await sharp({ create: { width: 100, height: 50, channels: 3, background: '#a0b0c0' } })
        .jpeg()
        .toBuffer(),
    )
    const coco = {
      images: [
        { id: 1, file_name: 'a.jpg', width: 100, height: 50 },
        { id: 2, file_name: 'a.png', width: 100, height: 50 },
        { id: 3, file_name: 'sub/a.jpg', width: 100, height: 50 },
      ],
      categories: [{ id: 1, name: 'cat' }],
      annotations: [1, 2, 3].map((id) => ({
        id,
        image_id: id,
        category_id: 1,
        bbox: [id * 10, 10, 10, 10],
        area: 100,
        iscrowd: 0,
      })),
    }
    await importZip(
      source,
      'coco',
      new Map([
        ['annotations.json', enc(JSON.stringify(coco))],
        ['a.jpg', jpeg],
        ['a.png', png],
        ['sub/a.jpg', deeper],
      ]),
    )
    const out = await exportFiles(source, 'format=yolo&images=true')
    const target = await newProject('Same stems again')
    const result = await importZip(target, 'yolo', out)
    expect(result.imported).toMatchObject({ images: 3, regions: 3, assets: 3 })
    expect(result.warnings).toEqual([])
    const back = await exportJson(target, 'format=coco')
    const xOf = new Map(
      back.annotations.map((a: { image_id: number; bbox: number[] }) => [a.image_id, a.bbox[0]]),
    )
    const boxes = back.images
      .map((i: { id: number; file_name: string }) => [i.file_name, xOf.get(i.id)])
      .sort()
    expect(boxes).toEqual([
      ['a.jpg', 10],
      ['a.png', 20],
      ['sub/a.jpg', 30],
    ])
  })

  it('names a lone VOC XML body by its <filename>', async () => {
    const projectId = await newProject('Lone VOC XML')
    const form = new FormData()
    form.append('file', new Blob([jpeg as Uint8Array<ArrayBuffer>]), 'photo_7.jpg')
    await t.request(`/api/projects/${projectId}/assets`, {
      method: 'POST',
      body: form,
      cookie: lead,
    })
    const xml = `<annotation><folder>VOC2012</folder><filename>photo_7.jpg</filename>
<size><width>100</width><height>50</height><depth></depth></size>
<object><name>cat</name><bndbox><xmin>1.5</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox></object>
</annotation>`
    const res = await t.request(`/api/projects/${projectId}/import?format=voc`, {
      body: xml,
      headers: { 'content-type': 'application/xml' },
      cookie: lead,
    })
    const body = await res.json()
    expect(res.status).toBe(200)
    expect(body.imported).toMatchObject({ images: 1, regions: 1 })
    expect(body.warnings).toEqual([])
  })
})

describe('files of many empty lines', () => {
  it('read a label file and an image list of a hundred million blank lines as empty', async () => {
    // A few hundred kilobytes of zip that once took the server's whole memory.
    const blank = enc('\n'.repeat(100 * 2 ** 20))
    const yolo = await newProject('Blank label lines')
    const body = await importZip(
      yolo,
      'yolo',
      new Map([
        ['data.yaml', enc('names: [a]\n')],
        ['images/train/x.jpg', jpeg],
        ['labels/train/x.txt', blank],
      ]),
    )
    expect(body.imported).toMatchObject({ images: 1, regions: 0, assets: 1 })
    const voc = await newProject('Blank image list')
    const xml = `<annotation><filename>x.jpg</filename><size><width>100</width><height>50</height></size>
      <object><name>a</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></object></annotation>`
    const again = await importZip(
      voc,
      'voc',
      new Map([
        ['Annotations/x.xml', enc(xml)],
        ['JPEGImages/x.jpg', jpeg],
        ['ImageSets/Main/train.txt', blank],
      ]),
    )
    expect(again.imported).toMatchObject({ images: 1, regions: 1 })
  })
})
