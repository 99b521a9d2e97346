import { exportCoco, importCoco } from './coco/index.ts'
import { exportConcord, importConcord } from './concord/index.ts'
import { exportCocoResults, importCocoResults } from './coco-results/index.ts'
import { exportCvat, importCvat } from './cvat/index.ts'
import { exportLabelStudio, importLabelStudio } from './labelstudio/index.ts'
import { exportLabelme, importLabelme } from './labelme/index.ts'
import { exportVoc, importVoc } from './voc/index.ts'
import { exportYolo, importYolo } from './yolo/index.ts'
import type { ConversionReport, FileSet, InterchangeDataset } from './model.ts'

export * from './model.ts'

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

/** One format's entry points, with options loosened so callers can dispatch by name. */
export type FormatEntry = {
  import: (
    files: FileSet,
    // Each format narrows its own options; the registry passes them through unchecked.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    options?: any,
  ) => { dataset: InterchangeDataset; report: ConversionReport } & Record<string, unknown>
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
}

/** The registry: every format by name. */
export const FORMATS: Record<FormatName, FormatEntry> = {
  coco: { import: importCoco, export: exportCoco, multiFile: false, mediaType: 'application/json' },
  yolo: { import: importYolo, export: exportYolo, multiFile: true, mediaType: 'application/zip' },
  'coco-results': {
    import: importCocoResults,
    export: exportCocoResults,
    multiFile: false,
    mediaType: 'application/json',
  },
  voc: { import: importVoc, export: exportVoc, multiFile: true, mediaType: 'application/zip' },
  labelme: {
    import: importLabelme,
    export: exportLabelme,
    multiFile: true,
    mediaType: 'application/zip',
  },
  cvat: { import: importCvat, export: exportCvat, multiFile: false, mediaType: 'application/xml' },
  concord: {
    import: importConcord,
    export: exportConcord,
    multiFile: false,
    mediaType: 'application/x-ndjson',
  },
  labelstudio: {
    import: importLabelStudio,
    export: exportLabelStudio,
    multiFile: false,
    mediaType: 'application/json',
  },
}

export function isFormatName(value: unknown): value is FormatName {
  return typeof value === 'string' && (FORMAT_NAMES as readonly string[]).includes(value)
}
