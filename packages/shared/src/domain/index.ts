export * from './region.ts'
export * from './layer.ts'
export * from './label.ts'
