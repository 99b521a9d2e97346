import { describe, expect, it } from 'vitest'
import { polygonArea } from '../../geometry/index.ts'
import { decodeText } from '../common/json.ts'
import type { FileSet, InterchangeDataset, InterchangeRegion, ReportEntry } from '../model.ts'
import { exportCvat, importCvat } from './index.ts'

const enc = (text: string) => new TextEncoder().encode(text)
const one = (xml: string): FileSet => new Map([['annotations.xml', enc(xml)]])
const image = (shapes: string, meta = '') =>
  one(`<annotations><version>1.1</version>${meta}
    <image id="0" name="a.jpg" width="200" height="100">${shapes}</image></annotations>`)
const xmlOf = (files: FileSet) => decodeText([...files.values()][0]!)

const datasetWith = (regions: InterchangeRegion[], labels = [{ name: 'car' }]) =>
  ({
    labels,
    items: [
      { key: 'a.jpg', subset: '', path: 'a.jpg', width: 200, height: 100, regions, tags: [] },
    ],
  }) satisfies InterchangeDataset

const triangle = (x: number): [number, number][] => [
  [x, 0],
  [x + 10, 0],
  [x + 5, 8],
]

describe('CVAT multi-part polygons', () => {
  it('writes every part as a polygon sharing a group_id and reads them back as one region', () => {
    const polygon: InterchangeRegion = {
      kind: 'polygon',
      label: 'car',
      attributes: { occluded: true },
      geometry: { points: triangle(0), parts: [triangle(20), triangle(40)] },
    }
    const { files, report } = exportCvat(datasetWith([polygon]))
    expect(xmlOf(files).match(/<polygon [^>]*group_id="1"/g)).toHaveLength(3)
    expect(report.lossiness).toEqual([])
    expect(importCvat(files).dataset.items[0]!.regions).toEqual([{ ...polygon, source: 'human' }])
  })

  it('keeps the group of a multi-part polygon that shares it with a box', () => {
    const regions: InterchangeRegion[] = [
      {
        kind: 'bbox',
        label: 'car',
        attributes: {},
        group: 'a',
        geometry: { x: 0, y: 0, w: 50, h: 9 },
      },
      {
        kind: 'polygon',
        label: 'car',
        attributes: {},
        group: 'a',
        geometry: { points: triangle(0), parts: [triangle(20)] },
      },
    ]
    const back = importCvat(exportCvat(datasetWith(regions)).files).dataset.items[0]!.regions
    expect(back.map((r) => [r.kind, r.group])).toEqual([
      ['bbox', 1],
      ['polygon', 1],
    ])
    expect(back[1]!.geometry).toEqual(regions[1]!.geometry)
  })

  it('keeps grouped polygons of different labels or attributes apart, with their group', () => {
    const { dataset } = importCvat(
      image(`
        <polygon label="car" group_id="4" points="0,0;10,0;5,8"/>
        <polygon label="road" group_id="4" points="20,0;30,0;25,8"/>
        <polygon label="car" group_id="5" occluded="1" points="0,0;10,0;5,8"/>
        <polygon label="car" group_id="5" points="20,0;30,0;25,8"/>`),
    )
    const regions = dataset.items[0]!.regions
    expect(regions.map((r) => [r.label, r.group])).toEqual([
      ['car', 4],
      ['road', 4],
      ['car', 5],
      ['car', 5],
    ])
    expect(regions.every((r) => r.kind === 'polygon' && !r.geometry.parts)).toBe(true)
  })

  it('counts in the report the polygons joined into multi-part ones, and only those', () => {
    const shapes = `
      <polygon label="car" group_id="4" points="0,0;10,0;5,8"/>
      <polygon label="car" group_id="4" points="20,0;30,0;25,8"/>
      <polygon label="car" group_id="5" points="0,0;10,0;5,8"/>
      <polygon label="car" group_id="5" points="20,0;30,0;25,8"/>
      <polygon label="car" group_id="5" points="40,0;50,0;45,8"/>
      <polygon label="car" group_id="6" points="0,0;10,0;5,8"/>
      <box label="car" group_id="6" xtl="0" ytl="0" xbr="10" ybr="8"/>
      <polygon label="road" group_id="7" points="0,0;10,0;5,8"/>
      <polygon label="car" group_id="7" points="20,0;30,0;25,8"/>`
    const { dataset, report } = importCvat(image(shapes))
    const joins = (warnings: ReportEntry[]) => warnings.filter((w) => w.code === 'other')
    expect(dataset.items[0]!.regions).toHaveLength(6)
    expect(joins(report.warnings)).toEqual([
      {
        code: 'other',
        message: 'polygons sharing a group_id joined into one multi-part polygon',
        count: 5,
      },
    ])
    const apart = importCvat(image(shapes.replace(/group_id="[45]"/g, '')))
    expect(joins(apart.report.warnings)).toEqual([])
  })

  it('reports holes as lost', () => {
    const polygon: InterchangeRegion = {
      kind: 'polygon',
      label: 'car',
      attributes: {},
      geometry: {
        points: [
          [0, 0],
          [50, 0],
          [50, 50],
          [0, 50],
        ],
        holes: [triangle(10)],
      },
    }
    expect(exportCvat(datasetWith([polygon])).report.lossiness).toEqual([
      { kind: 'polygon', count: 1, reason: 'CVAT polygons have no holes' },
    ])
  })
})

describe('CVAT ellipses', () => {
  const ellipse =
    '<ellipse label="car" cx="100" cy="50" rx="40" ry="10" rotation="30" occluded="1"/>'

  it('reads an ellipse as a polygon on its outline, rotated clockwise in pixels, reported', () => {
    const { dataset, report } = importCvat(image(ellipse))
    const region = dataset.items[0]!.regions[0]!
    expect(region).toMatchObject({ kind: 'polygon', label: 'car', attributes: { occluded: true } })
    if (region.kind !== 'polygon') return
    const points = region.geometry.points
    expect(points.length).toBeGreaterThanOrEqual(32)
    // The first vertex is the end of the long axis, turned 30 degrees clockwise (y down).
    const t = (30 * Math.PI) / 180
    expect(points[0]![0]).toBeCloseTo(100 + 40 * Math.cos(t), 9)
    expect(points[0]![1]).toBeCloseTo(50 + 40 * Math.sin(t), 9)
    // Every vertex lies on the ellipse, and the area is close to pi * rx * ry.
    for (const [x, y] of points) {
      const [u, v] = [x - 100, y - 50]
      const along = u * Math.cos(t) + v * Math.sin(t)
      const across = -u * Math.sin(t) + v * Math.cos(t)
      expect((along / 40) ** 2 + (across / 10) ** 2).toBeCloseTo(1, 9)
    }
    expect(Math.abs(polygonArea(region.geometry) / (Math.PI * 400) - 1)).toBeLessThan(0.01)
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ code: 'lossy', message: expect.stringMatching(/ellipse/) }),
    )
  })

  it('writes an unedited ellipse back as an ellipse and an edited one as a polygon', () => {
    const { dataset } = importCvat(image(ellipse))
    expect(xmlOf(exportCvat(dataset).files)).toMatch(
      /<ellipse cx="100" cy="50" rx="40" ry="10" rotation="30"[^>]*occluded="1"/,
    )
    const region = dataset.items[0]!.regions[0]!
    if (region.kind === 'polygon') region.geometry.points[0] = [0, 0]
    const xml = xmlOf(exportCvat(dataset).files)
    expect(xml).not.toMatch(/<ellipse/)
    expect(xml).toMatch(/<polygon points="0,0;/)
  })
})

const SKELETON_META = `<meta><task><labels>
  <label><name>person</name><type>skeleton</type>
    <svg>&lt;line data-type="edge" data-node-from="1" data-node-to="2"&gt;&lt;/line&gt;&lt;line data-type="edge" data-node-from="2" data-node-to="3"&gt;&lt;/line&gt;&lt;circle data-type="element node" data-node-id="1" data-label-name="head"&gt;&lt;/circle&gt;&lt;circle data-type="element node" data-node-id="2" data-label-name="hip"&gt;&lt;/circle&gt;&lt;circle data-type="element node" data-node-id="3" data-label-name="foot"&gt;&lt;/circle&gt;</svg>
  </label>
  <label><name>head</name><type>points</type><parent>person</parent></label>
  <label><name>hip</name><type>points</type><parent>person</parent></label>
  <label><name>foot</name><type>points</type><parent>person</parent></label>
</labels></task></meta>`

describe('CVAT skeletons', () => {
  // Elements out of the declared order, one occluded, one outside, one missing.
  const skeletons = `
    <skeleton label="person" source="manual" z_order="2">
      <points label="foot" outside="1" occluded="0" points="30,90"/>
      <points label="head" outside="0" occluded="0" points="30,10"/>
      <points label="hip" outside="0" occluded="1" points="31,50"/>
    </skeleton>
    <skeleton label="person">
      <points label="hip" points="80,50"/>
    </skeleton>`

  it('reads skeletons as keypoints in the order of the sublabels, with visibility', () => {
    const { dataset } = importCvat(image(skeletons, SKELETON_META))
    expect(dataset.labels).toEqual([
      {
        name: 'person',
        keypoints: ['head', 'hip', 'foot'],
        skeleton: [
          [1, 2],
          [2, 3],
        ],
      },
    ])
    const [first, second] = dataset.items[0]!.regions
    expect(first).toMatchObject({
      kind: 'keypoints',
      label: 'person',
      attributes: { z_order: 2 },
      geometry: {
        points: [
          { x: 30, y: 10, v: 2 },
          { x: 31, y: 50, v: 1 },
          { x: 30, y: 90, v: 0 },
        ],
      },
    })
    expect(second?.geometry).toEqual({
      points: [
        { x: 0, y: 0, v: 0 },
        { x: 80, y: 50, v: 2 },
        { x: 0, y: 0, v: 0 },
      ],
    })
  })

  it('names points from the skeleton itself when meta does not declare them', () => {
    const { dataset, report } = importCvat(image(skeletons))
    expect(dataset.labels).toEqual([{ name: 'person', keypoints: ['foot', 'head', 'hip'] }])
    expect(dataset.items[0]!.regions.map((r) => r.geometry)).toEqual([
      {
        points: [
          { x: 30, y: 90, v: 0 },
          { x: 30, y: 10, v: 2 },
          { x: 31, y: 50, v: 1 },
        ],
      },
      {
        points: [
          { x: 0, y: 0, v: 0 },
          { x: 0, y: 0, v: 0 },
          { x: 80, y: 50, v: 2 },
        ],
      },
    ])
    expect(
      report.warnings.some((w) => w.code === 'unknown-label' && /"head"/.test(w.message)),
    ).toBe(true)
  })

  it('writes keypoints of a named label as skeletons and reads the same back', () => {
    const { dataset } = importCvat(image(skeletons, SKELETON_META))
    const { files, report } = exportCvat(dataset)
    expect(report.lossiness).toEqual([])
    expect(xmlOf(files)).toMatch(/<parent>person<\/parent>/)
    const back = importCvat(files).dataset
    expect(back.labels).toEqual(dataset.labels)
    expect(back.items[0]!.regions).toEqual(dataset.items[0]!.regions)
  })

  it('writes keypoints of a label without names as points, reported as lossy', () => {
    const region: InterchangeRegion = {
      kind: 'keypoints',
      label: 'car',
      attributes: {},
      geometry: {
        points: [
          { x: 1, y: 2, v: 2 },
          { x: 3, y: 4, v: 1 },
        ],
      },
    }
    const { files, report } = exportCvat(datasetWith([region]))
    expect(xmlOf(files)).toMatch(/<points points="1,2;3,4"/)
    expect(report.lossiness.map((l) => l.kind)).toEqual(['keypoints'])
  })
})
