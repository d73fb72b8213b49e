import SQLite from 'better-sqlite3'

/**
 * Changes a database file as someone holding it would: every trigger dropped (the
 * append-only ones first of all), foreign keys off, the change in one transaction.
 * What `npm run verify` must then catch.
 */
export function tamperWith(file: string, work: (s: SQLite.Database) => void) {
  const s = new SQLite(file)
  for (const t of s.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[])
    s.exec(`DROP TRIGGER "${t.name}"`)
  s.pragma('foreign_keys = OFF')
  s.transaction(() => work(s))()
  s.close()
}
