// The node arguments `npm start` runs the production server with: package.json's
// "start", after its build. The browser and HTTP tests, the soak and the page
// benchmark start the server from here, so that what they measure and test is what
// production runs (its heap settings included), written in one place.
import fs from 'node:fs'

export function serverNodeArgs(): string[] {
  const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start
  const match = /&& node ((?:-\S+ )*build\/server\.js)$/.exec(start)
  if (!match) throw new Error(`package.json's start script does not end in "&& node [flags] build/server.js": ${start}`)
  return match[1]!.split(' ')
}
