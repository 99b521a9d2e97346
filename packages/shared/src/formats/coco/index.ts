export { importCoco, subsetFromFileName } from './import.ts'
export type { CocoImportOptions } from './import.ts'
export { exportCoco, cocoCategoryIds } from './export.ts'
export type { CocoExportOptions } from './export.ts'
