import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * A worker thread on `source` (a module beside the caller, `callerUrl` its
 * import.meta.url). From the TypeScript source it starts through worker-boot.mjs,
 * which registers tsx in the thread; from a build, on the compiled `compiled`
 * beside the bundle the caller was bundled into (package.json's build puts it there).
 */
export function startWorker(
  callerUrl: string,
  files: { source: string; compiled: string },
  options: WorkerOptions & { workerData: object },
): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(files.compiled, callerUrl), options)
  const entry = new URL(files.source, callerUrl).href
  return new Worker(new URL('./worker-boot.mjs', import.meta.url), { ...options, workerData: { ...options.workerData, entry } })
}
