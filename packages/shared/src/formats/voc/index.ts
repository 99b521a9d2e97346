/** Pascal VOC XML: one annotation per image, or a VOCdevkit tree with subsets. */
export {
  importVoc,
  VOC_CONVENTIONS,
  VOC_NAME_SOURCES,
  type VocConvention,
  type VocImportOptions,
  type VocNameFrom,
} from './import.ts'
export { exportVoc, type VocExportOptions, type VocExportResult } from './export.ts'
