export { importLabelStudio, labelStudioImagePath } from './import.ts'
export type { LabelStudioImportOptions } from './import.ts'
export { exportLabelStudio, LABEL_STUDIO_FROM_NAMES } from './export.ts'
export type { LabelStudioControl, LabelStudioExportOptions } from './export.ts'
