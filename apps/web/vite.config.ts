import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** In dev, the API and the sync socket live on the server at :8080. */
const SERVER = 'http://localhost:8080'

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': SERVER,
      '/sync': { target: SERVER, ws: true },
    },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
})
