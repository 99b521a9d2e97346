export { importLabelme } from './import.ts'
export type { LabelmeImportOptions, LabelmeImportResult } from './import.ts'
export { exportLabelme } from './export.ts'
export type { LabelmeExportOptions } from './export.ts'
