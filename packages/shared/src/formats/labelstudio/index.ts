export { importLabelStudio, labelStudioImagePath } from './import.ts'
export type { LabelStudioImportOptions } from './import.ts'
export { exportLabelStudio } from './export.ts'
export type { LabelStudioExportOptions } from './export.ts'
