/** Pascal VOC XML: one annotation per image, or a VOCdevkit tree with subsets. */
export { importVoc, type VocConvention, type VocImportOptions } from './import.ts'
export { exportVoc, type VocExportOptions, type VocExportResult } from './export.ts'
