// `npm run db:seed`: migrates, then seeds the demo company if it is not there yet.
import { databasePath } from '../db/client'
import { prepareDatabase } from './prepare'

const file = databasePath()
const { seeded } = await prepareDatabase(file, { today: new Date() })
console.log(seeded ? `Seeded the demo company into ${file}` : `${file} already holds the demo company; nothing changed`)
