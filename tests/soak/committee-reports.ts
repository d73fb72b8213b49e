import { openDatabase } from '../../db/client'
import { beginCertification, registerDraft } from '../../db/commands'
import { storeDraftFile } from '../../db/draft-files'
import { machineLookup } from '../../db/machine-lookup'
import { createPeriodicReport } from '../../db/queries/admin'
import { loadOrCreateSigningKey, signingKeyPath } from '../../db/signing-key'
import { openWorkflowRecord } from '../../db/workflow-record'
import { signRemainingDuties } from '../../seeds/history'
import { sha256Hex } from '../../seeds/load'

// Periodic reports at committee review for the crash soak's committee clients: each
// created, its draft registered, certification begun and every duty signed through
// the commands (as an administrator and the officers would), so the Disclosure and
// Audit Committees' steps and the CEO's and CFO's approvals are left to do over HTTP.

const DAY = 86_400_000
const at = (iso: string, days: number) => new Date(new Date(`${iso}T17:00:00Z`).getTime() + days * DAY)

/** Fiscal 2010's three 10-Qs (the demo holds none of them), at committee review; their ids. */
export async function reportsAtCommitteeReview(file: string): Promise<string[]> {
  const { db } = openDatabase(file)
  const record = openWorkflowRecord(db, machineLookup, loadOrCreateSigningKey(signingKeyPath(file)))
  const ids: string[] = []
  try {
    for (const [quarter, periodEnd] of [
      [1, '2010-03-31'],
      [2, '2010-06-30'],
      [3, '2010-09-30'],
    ] as const) {
      const created = await createPeriodicReport(db, {
        companyId: 'company-hecla',
        form: '10-Q',
        fiscalYear: 2010,
        fiscalQuarter: quarter,
        periodEnd,
        createdBy: 'user-admin',
        at: at(periodEnd, -30),
      })
      if (!created.created) throw new Error(`the demo already holds the 10-Q for Q${quarter} 2010`)
      const content = `Hecla Mining Company, Form 10-Q for Q${quarter} 2010. Draft 1.\n`
      const sha256 = sha256Hex(content)
      await storeDraftFile(sha256, new TextEncoder().encode(content), file)
      await registerDraft(record, {
        reportId: created.id,
        draftId: `draft-2010-q${quarter}-crash-v1`,
        sha256,
        sizeBytes: Buffer.byteLength(content),
        fileName: `hecla-2010-q${quarter}-draft-1.txt`,
        uploadedBy: { userId: 'user-cao', role: 'cao' },
        at: at(periodEnd, 8),
      })
      await beginCertification(record, {
        reportId: created.id,
        actor: { userId: 'user-admin', role: 'administrator' },
        at: at(periodEnd, 9),
      })
      await signRemainingDuties(record, created.id, at(periodEnd, 20).toISOString())
      ids.push(created.id)
    }
  } finally {
    await db.destroy()
  }
  return ids
}
