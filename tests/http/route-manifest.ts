import path from 'node:path'
import { pathToFileURL } from 'node:url'

// Every route of the production build, read from Remix's own route manifest, so a
// test that walks them cannot forget a route added later (issue 12).

export interface BuiltRoute {
  id: string
  /** The URL pattern, e.g. `/reports/:reportId/duties/:dutyNumber`. */
  pattern: string
  hasLoader: boolean
  hasAction: boolean
}

interface ManifestEntry {
  id: string
  parentId?: string
  path?: string
  index?: boolean
  module: { loader?: unknown; action?: unknown }
}

export async function builtRoutes(): Promise<BuiltRoute[]> {
  const build = (await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as { routes: Record<string, ManifestEntry> }
  const entries = build.routes
  const patternOf = (entry: ManifestEntry): string => {
    const own = entry.path ?? ''
    const parent = entry.parentId && entry.parentId !== 'root' ? patternOf(entries[entry.parentId]!) : ''
    return [parent, own].filter(Boolean).join('/')
  }
  return Object.values(entries)
    .filter((e) => e.id !== 'root')
    .map((e) => ({
      id: e.id,
      pattern: `/${patternOf(e)}`,
      hasLoader: typeof e.module.loader === 'function',
      hasAction: typeof e.module.action === 'function',
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
}

/**
 * A concrete address for a pattern, with the demo's ids; a parameter without a
 * sample value throws, so a new route's test is written when the route is.
 */
export function sampleAddress(pattern: string, samples: Record<string, string>): string {
  return pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
    if (whole === '*') return 'no/such/page'
    const value = samples[name!]
    if (value === undefined) throw new Error(`No sample value for :${name} (in ${pattern}): add one to the test`)
    return encodeURIComponent(value)
  })
}
