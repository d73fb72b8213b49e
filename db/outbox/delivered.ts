// The outbox's note of what the SMTP server has taken (ADR 020, amended
// 2026-12-04). Between the server's 250 and the 'sent' commit in the record's file
// the sender must wait for that file's write lock and its fsync; under load that
// took long enough for the crash soak's kills to land there 4 times in 20, and each
// time the mail went again after the restart. This note is written the moment the
// 250 arrives, in a small SQLite file of its own: no other writer contends for its
// lock, and it needs no fsync — a killed process loses nothing the kernel already
// holds, and after a power cut a repeat with the same Message-ID is the honest
// worst case. A claimed mail found here is marked sent without going again; a key
// leaves the note once the record says 'sent'.
import SQLite from 'better-sqlite3'

export interface DeliveryNote {
  /** The SMTP server answered 250 for this idempotency key. */
  taken(key: string): void
  wasTaken(key: string): boolean
  /** The record now says 'sent': the note is no longer needed. */
  forget(key: string): void
  close(): void
}

export const deliveryNotePath = (databaseFile: string) => `${databaseFile}-delivered`

export function openDeliveryNote(databaseFile: string): DeliveryNote {
  const sqlite = new SQLite(deliveryNotePath(databaseFile))
  sqlite.pragma('journal_mode = WAL')
  // Survives the process, not the machine: see above.
  sqlite.pragma('synchronous = OFF')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.exec('CREATE TABLE IF NOT EXISTS delivered (idempotency_key TEXT PRIMARY KEY, at TEXT NOT NULL) STRICT')
  const insert = sqlite.prepare('INSERT OR IGNORE INTO delivered (idempotency_key, at) VALUES (?, ?)')
  const select = sqlite.prepare('SELECT 1 FROM delivered WHERE idempotency_key = ?')
  const remove = sqlite.prepare('DELETE FROM delivered WHERE idempotency_key = ?')
  return {
    taken: (key) => void insert.run(key, new Date().toISOString()),
    wasTaken: (key) => select.get(key) !== undefined,
    forget: (key) => void remove.run(key),
    close: () => sqlite.close(),
  }
}
