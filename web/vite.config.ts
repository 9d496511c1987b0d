import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The production build goes straight into the Maven module's classes under static/, so the
// web jar (and through it the server jar) serves it; NGINX can serve the same directory.
const apiTarget = process.env.TASKMESH_API ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/actuator': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // Component tests render whole screens; on a loaded 2-core CI machine 5 s is not enough.
    testTimeout: 30_000,
    restoreMocks: true,
  },
});
