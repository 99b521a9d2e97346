import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { rleFromBinary } from '../../geometry/index.ts'
import {
  FormatError,
  type FileSet,
  type InterchangeDataset,
  type InterchangeRegion,
} from '../model.ts'
import { exportCvat, importCvat } from './index.ts'
import { cvatMaskToRle, rleToCvatMask } from './mask.ts'

/** Property tests run a hundred cases each; a loaded 2-core CI box needs more than 5 s. */
const PROPERTY_OPTIONS = { timeout: 30_000 }

const enc = (text: string) => new TextEncoder().encode(text)
const one = (xml: string): FileSet => new Map([['annotations.xml', enc(xml)]])

const META = `<meta><task><labels>
  <label><name>car</name><color>#ff0000</color><attributes>
    <attribute><name>parked</name><input_type>checkbox</input_type><values>false true</values></attribute>
    <attribute><name>speed</name><input_type>number</input_type><values>0 100 1</values></attribute>
    <attribute><name>plate</name><input_type>text</input_type><values></values></attribute>
  </attributes></label>
  <label><name>road</name></label>
</labels></task></meta>`

describe('importCvat', () => {
  it('reads shapes, typed attributes, occluded, z_order and tags', () => {
    const { dataset } = importCvat(
      one(`<annotations><version>1.1</version>${META}
      <image id="0" name="a.jpg" width="100" height="50">
        <box label="car" occluded="1" xtl="1" ytl="2" xbr="11" ybr="22" z_order="3">
          <attribute name="parked">true</attribute><attribute name="speed">2.5</attribute><attribute name="plate">0042</attribute>
        </box>
        <box label="car" xtl="10" ytl="10" xbr="30" ybr="20" rotation="45"/>
        <polygon label="road" points="0,0;10,0;5,5"/>
        <polyline label="road" points="0,0;10,10"/>
        <points label="road" points="3,4"/>
        <tag label="road"/>
      </image></annotations>`),
    )
    expect(dataset.labels).toEqual([{ name: 'car', color: '#ff0000' }, { name: 'road' }])
    const item = dataset.items[0]!
    expect(item).toMatchObject({ key: 'a.jpg', width: 100, height: 50, tags: ['road'] })
    expect(item.regions.map((r) => r.kind)).toEqual([
      'bbox',
      'rbox',
      'polygon',
      'polyline',
      'point',
    ])
    expect(item.regions[0]).toMatchObject({
      geometry: { x: 1, y: 2, w: 10, h: 20 },
      attributes: { parked: true, speed: 2.5, plate: '0042', occluded: true, z_order: 3 },
    })
    expect(item.regions[1]!.geometry).toEqual({ cx: 20, cy: 15, w: 20, h: 10, angle: 45 })
  })

  it('keeps the same file name in two subsets as two items', () => {
    const { dataset } = importCvat(
      one(`<annotations><version>1.1</version>
        <image id="0" name="img0.jpg" subset="Train" width="8" height="8"/>
        <image id="0" name="img0.jpg" subset="Test" width="8" height="8"/></annotations>`),
    )
    expect(dataset.items.map((i) => i.key)).toEqual(['Train:img0.jpg', 'Test:img0.jpg'])
  })

  it('merges an image named twice with one size, and refuses it with two sizes, naming the second', () => {
    const twice = (second: string) =>
      one(`<annotations><version>1.1</version>
        <image id="0" name="a.jpg" subset="Train" width="8" height="6"><tag label="x"/></image>
        <image id="1" name="a.jpg" subset="Test" width="4" height="4"/>
        <image id="2" name="a.jpg" subset="Train" ${second}><tag label="y"/></image></annotations>`)
    const { dataset, report } = importCvat(twice('width="8" height="6"'))
    expect(dataset.items.map((i) => [i.key, i.tags])).toEqual([
      ['Train:a.jpg', ['x', 'y']],
      ['Test:a.jpg', []],
    ])
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ message: 'image Train:a.jpg appears twice; regions merged' }),
    )
    expect(() => importCvat(twice('width="6" height="8"'))).toThrow(
      new FormatError(
        'annotations.xml',
        'annotations/image[2]',
        'image Train:a.jpg appears twice with sizes 8x6 and 6x8',
      ),
    )
  })

  it('reads video tracks as one item per frame, skipping frames where the track is outside', () => {
    const { dataset } = importCvat(
      one(`<annotations><version>1.1</version>
        <meta><task><original_size><width>25</width><height>20</height></original_size></task></meta>
        <track id="7" label="car">
          <box frame="10" outside="0" occluded="1" xtl="3" ytl="4" xbr="10" ybr="5"/>
          <box frame="13" outside="1" xtl="7" ytl="6" xbr="14" ybr="8"/>
        </track></annotations>`),
    )
    expect(dataset.items).toHaveLength(1)
    expect(dataset.items[0]).toMatchObject({ key: 'frame_000010', width: 25, height: 20 })
    expect(dataset.items[0]!.regions[0]).toMatchObject({
      label: 'car',
      geometry: { x: 3, y: 4, w: 7, h: 1 },
      attributes: { occluded: true, track_id: 7 },
    })
  })

  it('keeps shapes of different kinds in file order, and writes them back in it', () => {
    const xml = `<annotations><version>1.1</version>${META}
      <image id="0" name="a.jpg" width="100" height="100">
        <polygon label="road" points="1,1;9,1;9,9" z_order="0"/>
        <box label="car" xtl="1" ytl="1" xbr="5" ybr="5" z_order="0"/>
        <polyline label="road" points="1,1;5,5" z_order="0"/>
        <box label="car" xtl="2" ytl="2" xbr="6" ybr="6" z_order="0"/>
        <points label="road" points="3,3" z_order="0"/>
        <polygon label="car" points="2,2;8,2;8,8" z_order="0"/>
      </image></annotations>`
    const order = ['polygon', 'bbox', 'polyline', 'bbox', 'point', 'polygon']
    const { dataset } = importCvat(one(xml))
    expect(dataset.items[0]!.regions.map((r) => r.kind)).toEqual(order)
    const written = new TextDecoder().decode([...exportCvat(dataset).files.values()][0])
    const tags = [...written.matchAll(/<(box|polygon|polyline|points) /g)].map((m) => m[1])
    expect(tags).toEqual(['polygon', 'box', 'polyline', 'box', 'points', 'polygon'])
    const again = importCvat(exportCvat(dataset).files).dataset
    expect(again.items[0]!.regions.map((r) => r.kind)).toEqual(order)
  })

  it('decodes numeric character references in labels and attribute values, and writes them back', () => {
    const { dataset } = importCvat(
      one(`<annotations><version>1.1</version>
        <image id="0" name="caf&#xE9;.jpg" width="10" height="10">
          <box label="salt &amp; pepper &#233;" xtl="1" ytl="1" xbr="5" ybr="5">
            <attribute name="note">&lt;b&gt; &amp;#233; &#x1F600;</attribute>
          </box>
        </image></annotations>`),
    )
    const item = dataset.items[0]!
    expect(item.path).toBe('caf\u00e9.jpg')
    expect(item.regions[0]).toMatchObject({
      label: 'salt & pepper \u00e9',
      attributes: { note: '<b> &#233; \u{1F600}' },
    })
    const back = importCvat(exportCvat(dataset).files).dataset.items[0]!
    expect(back.path).toBe(item.path)
    expect(back.regions[0]).toMatchObject({
      label: item.regions[0]!.label,
      attributes: { note: '<b> &#233; \u{1F600}' },
    })
  })

  it('refuses a malformed point list, naming the shape', () => {
    const files = one(
      `<annotations><image id="0" name="a.jpg"><polygon label="x" points="1,2;3,x;5,6"/></image></annotations>`,
    )
    expect(() => importCvat(files)).toThrow(FormatError)
    expect(() => importCvat(files)).toThrow(/image\[0\]\/polygon\[0\]/)
  })

  it('refuses malformed XML with its line', () => {
    expect(() => importCvat(one('<annotations>\n<image name="a.jpg">\n</annotations>'))).toThrow(
      /line \d+/,
    )
  })
})

describe('CVAT masks', PROPERTY_OPTIONS, () => {
  it('convert between full-image COCO RLE and CVAT box RLE without change', () => {
    const mask = fc
      .record({ width: fc.integer({ min: 1, max: 12 }), height: fc.integer({ min: 1, max: 12 }) })
      .chain(({ width, height }) =>
        fc.record({
          width: fc.constant(width),
          height: fc.constant(height),
          bits: fc.array(fc.integer({ min: 0, max: 1 }), {
            minLength: width * height,
            maxLength: width * height,
          }),
        }),
      )
    fc.assert(
      fc.property(mask, ({ width, height, bits }) => {
        const rle = rleFromBinary(bits, width, height)
        const cvat = rleToCvatMask(rle)
        if (bits.includes(1)) expect(cvatMaskToRle(cvat!, width, height)).toEqual(rle)
        else expect(cvat).toBeUndefined()
      }),
    )
  })
})

/** A region as text with numbers at 6 decimals and sorted attribute keys, for set comparison. */
function canonical(region: InterchangeRegion): string {
  const round = (_key: string, value: unknown) =>
    typeof value === 'number' ? Math.round(value * 1e6) : value
  const attributes = Object.fromEntries(
    Object.entries(region.attributes).sort(([a], [b]) => a.localeCompare(b)),
  )
  return JSON.stringify([region.kind, region.label, region.geometry, attributes], round)
}

describe('exportCvat then importCvat', PROPERTY_OPTIONS, () => {
  const coordinate = fc.integer({ min: 0, max: 100_000 }).map((n) => n / 1000)
  const point = fc.tuple(coordinate, coordinate)
  const attributes = fc.record(
    {
      occluded: fc.constant(true),
      z_order: fc.integer({ min: 1, max: 5 }),
      parked: fc.boolean(),
      note: fc.constantFrom('a b', '0042'),
    },
    { requiredKeys: [] },
  )
  const region: fc.Arbitrary<InterchangeRegion> = fc
    .oneof(
      fc.record({
        kind: fc.constant('bbox' as const),
        geometry: fc.record({ x: coordinate, y: coordinate, w: coordinate, h: coordinate }),
      }),
      fc.record({
        kind: fc.constant('rbox' as const),
        geometry: fc.record({
          cx: coordinate,
          cy: coordinate,
          w: coordinate,
          h: coordinate,
          angle: fc.integer({ min: 1, max: 359 }),
        }),
      }),
      fc.record({
        kind: fc.constant('polygon' as const),
        geometry: fc.record(
          {
            points: fc.array(point, { minLength: 3, maxLength: 8 }),
            parts: fc.array(fc.array(point, { minLength: 3, maxLength: 5 }), {
              minLength: 1,
              maxLength: 3,
            }),
          },
          { requiredKeys: ['points'] },
        ),
      }),
      fc.record({
        kind: fc.constant('polyline' as const),
        geometry: fc.record({ points: fc.array(point, { minLength: 2, maxLength: 8 }) }),
      }),
      fc.record({
        kind: fc.constant('point' as const),
        geometry: fc.record({ x: coordinate, y: coordinate }),
      }),
    )
    .chain((shape) =>
      fc
        .record({ label: fc.constantFrom('car', 'road'), attributes })
        .map((rest) => ({ ...shape, ...rest }) as InterchangeRegion),
    )

  it('gives the same items, regions and attributes back', () => {
    fc.assert(
      fc.property(
        fc.array(region, { maxLength: 6 }),
        fc.constantFrom('', 'Train', 'Validation'),
        (regions, subset) => {
          const path = 'dir/a b.jpg'
          const source: InterchangeDataset = {
            labels: [{ name: 'car' }, { name: 'road' }],
            items: [
              {
                key: subset ? `${subset}:${path}` : path,
                subset,
                path,
                width: 640,
                height: 480,
                regions,
                tags: ['road'],
              },
            ],
          }
          const back = importCvat(exportCvat(source).files).dataset
          expect(back.items).toHaveLength(1)
          const item = back.items[0]!
          expect(item).toMatchObject({
            key: source.items[0]!.key,
            width: 640,
            height: 480,
            tags: ['road'],
          })
          expect(item.regions.map(canonical).sort()).toEqual(regions.map(canonical).sort())
        },
      ),
    )
  })
})
