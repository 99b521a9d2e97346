import { exportCoco, importCoco } from './coco/index.ts'
import { exportConcord, importConcord } from './concord/index.ts'
import { exportCocoResults, importCocoResults } from './coco-results/index.ts'
import { exportCvat, importCvat } from './cvat/index.ts'
import { exportLabelStudio, importLabelStudio } from './labelstudio/index.ts'
import { exportLabelme, importLabelme } from './labelme/index.ts'
import { exportVoc, importVoc } from './voc/index.ts'
import { exportYolo, importYolo } from './yolo/index.ts'
import { fitForExport, mergeReports, type FormatCarries } from './fit.ts'
import type { ConversionReport, FileSet, InterchangeDataset } from './model.ts'

export * from './model.ts'
export {
  VOC_CONVENTIONS,
  VOC_NAME_SOURCES,
  type VocConvention,
  type VocImportOptions,
  type VocNameFrom,
} from './voc/index.ts'

/** Every interchange format, by the name the API and the UI use. */
export const FORMAT_NAMES = [
  'coco',
  'coco-results',
  'yolo',
  'voc',
  'cvat',
  'labelme',
  'labelstudio',
  'concord',
] as const
export type FormatName = (typeof FORMAT_NAMES)[number]

/**
 * The options each format reads on import and on export, by the names a query (or an export
 * job's `options`) gives them. A name outside these is a typing error, refused rather than
 * ignored: `mdoe=replace` would otherwise append.
 */
export const FORMAT_OPTIONS: Record<
  FormatName,
  { import: readonly string[]; export: readonly string[] }
> = {
  coco: { import: ['subset'], export: ['crowd', 'rle', 'fileName'] },
  'coco-results': { import: [], export: ['fileName'] },
  yolo: { import: ['task'], export: ['task'] },
  voc: { import: ['convention', 'nameFrom'], export: ['convention', 'segmentation'] },
  cvat: { import: [], export: ['fileName'] },
  labelme: { import: ['subset'], export: ['flavour'] },
  labelstudio: {
    import: ['subset', 'imageKey'],
    export: ['fromName', 'choiceFromName', 'toName', 'fileName'],
  },
  concord: { import: [], export: ['fileName'] },
}

/** One format's entry points, with options loosened so callers can dispatch by name. */
export type FormatEntry = {
  import: (
    files: FileSet,
    // Each format narrows its own options; the registry passes them through unchecked.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    options?: any,
  ) => {
    dataset: InterchangeDataset
    report: ConversionReport
    /**
     * Image files of the input the format read as annotation data (VOC's segmentation PNGs),
     * by normalised path: callers must not take them for photos.
     */
    notImages?: string[]
    /**
     * The input's image file of each item, by item key, where the format knows it (YOLO): an
     * item's path may differ from its file's (a renamed `a_png.png` is the item `a.png`).
     */
    imageFiles?: Map<string, string>
  } & Record<string, unknown>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export: (
    dataset: InterchangeDataset,
    options?: any,
  ) => { files: FileSet; report: ConversionReport }
  /**
   * Whether an export is several files (served as a zip) rather than one. A single-file format
   * may still return several files (COCO writes one per subset), so callers zip whenever more
   * than one comes back.
   */
  multiFile: boolean
  /** Media type of the single file, or of the zip when `multiFile`. */
  mediaType: string
  /** What the format keeps beyond geometry and label; see `fitForExport`. */
  carries: FormatCarries
}

/** The registry: every format by name. */
const KEEPS_ALL: FormatCarries = { crowd: true, group: true, outside: false }
const GROUPS_ONLY: FormatCarries = { crowd: false, group: true, outside: false }
const NEITHER: FormatCarries = { crowd: false, group: false, outside: false }

export const FORMATS: Record<FormatName, FormatEntry> = {
  coco: {
    import: importCoco,
    export: exportCoco,
    multiFile: false,
    mediaType: 'application/json',
    carries: KEEPS_ALL,
  },
  'coco-results': {
    import: importCocoResults,
    export: exportCocoResults,
    multiFile: false,
    mediaType: 'application/json',
    carries: NEITHER,
  },
  yolo: {
    import: importYolo,
    export: exportYolo,
    multiFile: true,
    mediaType: 'application/zip',
    carries: NEITHER,
  },
  voc: {
    import: importVoc,
    export: exportVoc,
    multiFile: true,
    mediaType: 'application/zip',
    // Groups are the exporter's to judge: it keeps a box with its mask as one object.
    carries: { ...NEITHER, group: true, labels: false },
  },
  cvat: {
    import: importCvat,
    export: exportCvat,
    multiFile: false,
    mediaType: 'application/xml',
    carries: GROUPS_ONLY,
  },
  labelme: {
    import: importLabelme,
    export: exportLabelme,
    multiFile: true,
    mediaType: 'application/zip',
    carries: { ...GROUPS_ONLY, subsets: false, labels: false },
  },
  labelstudio: {
    import: importLabelStudio,
    export: exportLabelStudio,
    multiFile: false,
    mediaType: 'application/json',
    carries: { ...NEITHER, subsets: false, labels: false },
  },
  // Lossless by design: everything, even a box past the image edge, goes out as it is.
  concord: {
    import: importConcord,
    export: exportConcord,
    multiFile: false,
    mediaType: 'application/x-ndjson',
    carries: { crowd: true, group: true, outside: true },
  },
}

/**
 * Exports a dataset in a format with the rules every format shares applied first (see
 * `fitForExport`); the report holds both what fitting did and what the format said.
 */
export function exportDataset(
  name: FormatName,
  dataset: InterchangeDataset,
  options?: Record<string, unknown>,
): ReturnType<FormatEntry['export']> & Record<string, unknown> {
  const entry = FORMATS[name]
  // A YOLO pose line carries an object's box with its keypoints: that group is not lost.
  const pose = name === 'yolo' && options?.task === 'pose'
  const fitted = fitForExport(dataset, pose ? { ...entry.carries, group: true } : entry.carries)
  const result = entry.export(fitted.dataset, options) as ReturnType<FormatEntry['export']> &
    Record<string, unknown>
  return { ...result, report: mergeReports(fitted.report, result.report) }
}

export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && (FORMAT_NAMES as readonly string[]).includes(value)
}
