import { normalizeAngle, rboxTopLeft } from '../../geometry/index.ts'
import { encodeJson } from '../common/json.ts'
import { rboxCornersInImage, rboxPastEdge } from '../fit.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeLabel,
  InterchangeRegion,
} from '../model.ts'
import { encodeBrushRle } from './brush.ts'
import { keypointsForExport } from './keypoints.ts'

/** The Label Studio control each exported result type comes from. */
export type LabelStudioControl =
  'rectanglelabels' | 'polygonlabels' | 'keypointlabels' | 'brushlabels' | 'choices'

/**
 * `from_name` of each control by default: the names a labelling config with one control per
 * kind gives them. They differ because Label Studio needs one name per control, and one project
 * with boxes and polygons has two; `label` for boxes is what its box template uses.
 */
export const LABEL_STUDIO_FROM_NAMES: Record<LabelStudioControl, string> = {
  rectanglelabels: 'label',
  polygonlabels: 'polygon',
  keypointlabels: 'keypoint',
  brushlabels: 'brush',
  choices: 'choice',
}

export type LabelStudioExportOptions = {
  /** Output file name; default `tasks.json`. */
  fileName?: string
  /** `from_name` per control, over {@link LABEL_STUDIO_FROM_NAMES}, to match a project's config. */
  fromNames?: Partial<Record<LabelStudioControl, string>>
  /** One `from_name` for every region control (not the image's choices), for a one-control config. */
  fromName?: string
  /** `from_name` of the image-level choices; overrides `fromNames.choices`. */
  choiceFromName?: string
  /** `to_name`, the Image tag's name; default `image`. */
  toName?: string
  /** Turns an item key into `data.image`; by default the key itself. */
  imageUrl?: (key: string) => string
}

type LsOut = Record<string, unknown>

/**
 * Exports Label Studio's JSON task export: one task per item, human regions as the annotation and
 * model regions as a prediction. Units are percent of the image; rotated boxes are written by
 * their top-left corner and clockwise rotation, computed in pixels (one past the image edge as its
 * clipped polygon, since values must stay in percent of the image); masks as brushes; keypoint
 * sets as one keypoint result per point, linked to the first by `parentID`. Regions of items
 * without a known size cannot be put in percent and are reported. `images` says where each item's
 * image goes in a zip beside the tasks: at its `data.image`, when that is a relative path.
 */
export function exportLabelStudio(
  dataset: InterchangeDataset,
  options: LabelStudioExportOptions = {},
): { files: FileSet; report: ConversionReport; images: Map<string, string> } {
  const report = new ReportBuilder()
  const images = new Map<string, string>()
  const toName = options.toName ?? 'image'
  const fromNames = { ...LABEL_STUDIO_FROM_NAMES, ...definedOnly(options.fromNames) }
  if (options.fromName) {
    for (const control of REGION_CONTROLS) fromNames[control] = options.fromName
  }
  if (options.choiceFromName) fromNames.choices = options.choiceFromName
  const labelsByName = new Map(dataset.labels.map((l) => [l.name, l]))
  let nextResultId = 1

  const tasks = dataset.items.map((item, t) => {
    const human: LsOut[] = []
    const model: LsOut[] = []
    const scores: number[] = []
    const W = item.width
    const H = item.height
    for (const region of item.regions) {
      if (!W || !H) {
        report.count('missing-size', 'image size unknown; region cannot be written in percent')
        continue
      }
      const id = `r${nextResultId++}`
      const label = labelsByName.get(region.label)
      const shapes = regionResults(region, label, { key: item.key, width: W, height: H }, report)
      const target = region.source === 'model' ? model : human
      if (region.score != null) scores.push(region.score)
      shapes.forEach((value, i) => {
        const type = value.__type as Exclude<LabelStudioControl, 'choices'>
        const meta = value.__meta
        delete value.__type
        delete value.__meta
        const resultId = shapes.length > 1 ? `${id}_${i + 1}` : id
        // The points of a keypoint set point at the first one; see keypoints.ts.
        const parent = region.kind === 'keypoints' && i > 0 ? { parentID: `${id}_1` } : {}
        target.push({
          id: resultId,
          type,
          ...parent,
          from_name: fromNames[type],
          to_name: toName,
          original_width: W,
          original_height: H,
          image_rotation: 0,
          value,
          ...(meta !== undefined ? { meta } : {}),
          ...(region.score != null ? { score: region.score } : {}),
        })
        if (i === 0)
          for (const result of attributeResults(region, resultId, toName, report))
            target.push(result)
      })
    }
    if (item.tags.length > 0) {
      human.push({
        id: `r${nextResultId++}`,
        type: 'choices',
        from_name: fromNames.choices,
        to_name: toName,
        value: { choices: [...item.tags] },
      })
    }
    const image = options.imageUrl ? options.imageUrl(item.key) : item.key
    // An image packed beside tasks.json goes where `data.image` says it is.
    if (!/^[a-z][\w+.-]*:|^\//i.test(image)) images.set(item.key, image)
    return {
      id: t + 1,
      data: { image },
      annotations: [{ id: t + 1, result: human }],
      predictions: model.length
        ? [{ result: model, ...(scores.length ? { score: Math.min(...scores) } : {}) }]
        : [],
    }
  })

  const files: FileSet = new Map([[options.fileName ?? 'tasks.json', encodeJson(tasks)]])
  return { files, report: report.build(), images }
}

const REGION_CONTROLS = [
  'rectanglelabels',
  'polygonlabels',
  'keypointlabels',
  'brushlabels',
] as const

/** The entries of a partial record whose value is a non-empty string. */
function definedOnly<K extends string>(
  record: Partial<Record<K, string>> | undefined,
): Partial<Record<K, string>> {
  return Object.fromEntries(
    Object.entries(record ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Partial<Record<K, string>>
}

function regionResults(
  region: InterchangeRegion,
  labelInfo: InterchangeLabel | undefined,
  image: { key: string; width: number; height: number },
  report: ReportBuilder,
): LsOut[] {
  const { width: W, height: H } = image
  const px = (x: number) => (x / W) * 100
  const py = (y: number) => (y / H) * 100
  const label = [region.label]
  switch (region.kind) {
    case 'bbox': {
      const g = region.geometry
      return [
        {
          __type: 'rectanglelabels',
          x: px(g.x),
          y: py(g.y),
          width: px(g.w),
          height: py(g.h),
          rotation: 0,
          rectanglelabels: label,
        },
      ]
    }
    case 'rbox': {
      const g = region.geometry
      if (rboxPastEdge(g, W, H)) {
        // Label Studio's values are percent of the image and must stay in [0, 100]; a rotated
        // rectangle cannot be cut and stay one, so its clipped corners go out as a polygon.
        const corners = rboxCornersInImage(g, image, report)
        if (!corners) return []
        report.lossy('rbox', 'rotated boxes past the image edge written as clipped polygons')
        return [
          {
            __type: 'polygonlabels',
            points: corners.map(([x, y]) => [px(x), py(y)]),
            closed: true,
            polygonlabels: label,
          },
        ]
      }
      const [x, y] = rboxTopLeft(g)
      const rotation = normalizeAngle(g.angle)
      return [
        {
          __type: 'rectanglelabels',
          x: px(x),
          y: py(y),
          width: px(g.w),
          height: py(g.h),
          rotation,
          rectanglelabels: label,
        },
      ]
    }
    case 'polygon': {
      const g = region.geometry
      if (g.holes?.length)
        report.lossy('polygon', 'Label Studio polygons have no holes; holes left out')
      if (g.parts?.length)
        report.lossy(
          'polygon',
          'Label Studio has no multi-part polygon; parts written as separate polygons',
        )
      return [g.points, ...(g.parts ?? [])].map((ring) => ({
        __type: 'polygonlabels',
        points: ring.map(([x, y]) => [px(x), py(y)]),
        closed: true,
        polygonlabels: label,
      }))
    }
    case 'point': {
      const g = region.geometry
      return [
        { __type: 'keypointlabels', x: px(g.x), y: py(g.y), width: 0.5, keypointlabels: label },
      ]
    }
    case 'keypoints':
      return keypointsForExport(region, labelInfo, report).map((p) => ({
        __type: 'keypointlabels',
        ...(p.name !== undefined ? { __meta: { text: [p.name] } } : {}),
        x: px(p.x),
        y: py(p.y),
        width: 0.5,
        keypointlabels: label,
      }))
    case 'mask': {
      const g = region.geometry
      if (g.width !== W || g.height !== H) {
        report.lossy('mask', 'a brush is the size of its image; masks of another size left out')
        return []
      }
      return [{ __type: 'brushlabels', format: 'rle', rle: encodeBrushRle(g), brushlabels: label }]
    }
    default:
      report.lossy(
        region.kind,
        'Label Studio image export does not carry this kind; region left out',
      )
      return []
  }
}

/** Region attributes as per-region results: string lists as choices, strings as text. */
function attributeResults(
  region: InterchangeRegion,
  id: string,
  toName: string,
  report: ReportBuilder,
): LsOut[] {
  const out: LsOut[] = []
  for (const [key, value] of Object.entries(region.attributes)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out.push({ id, type: 'choices', from_name: key, to_name: toName, value: { choices: value } })
    } else if (typeof value === 'string') {
      out.push({ id, type: 'textarea', from_name: key, to_name: toName, value: { text: [value] } })
    } else {
      report.lossy('attribute', 'Label Studio results carry only text and choice attributes')
    }
  }
  return out
}
