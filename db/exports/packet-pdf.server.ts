// The PDF certification packet of a report (docs/decisions/018), drawn with
// pdfkit from db/queries/packet.ts's facts. Server-only (never in a client
// bundle). Fonts: DejaVu Sans from assets/fonts, set by path with `doc.font(path)`
// (a font registered by name or from a Buffer is re-parsed per table cell), so any
// Unicode letter of a name renders. Pages are buffered only to write "Page i of n".
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import PDFDocument from 'pdfkit'
import { DUTIES } from '../../machines/duties'
import type { PacketFacts } from '../queries/packet'

function fontDir(): string {
  const candidates = [
    path.resolve(process.cwd(), 'assets/fonts'),
    // db/exports/ and build/server/ are both two levels below the repository.
    fileURLToPath(new URL('../../assets/fonts', import.meta.url)),
  ]
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'DejaVuSans.ttf')))
  if (!found) throw new Error(`The packet's fonts are missing: looked in ${candidates.join(', ')}`)
  return found
}

const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' })
const utc = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })
const calendarDate = (d: string) => longDate.format(new Date(`${d}T00:00:00Z`))
const instant = (iso: string) => `${utc.format(new Date(iso))} UTC`

/** Answers as signed, one "path: value" line a leaf, for print. */
export function answerLines(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return prefix ? [`${prefix}: —`] : []
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${prefix || 'answers'}: none`]
    return value.flatMap((v, i) => answerLines(v, `${prefix}[${i + 1}]`))
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => answerLines(v, prefix ? `${prefix}.${k}` : k))
  }
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value)
  return [`${prefix}: ${text}`]
}

/**
 * The packet as a pdfkit document, already ended: pipe it to a response or a file.
 * Nothing of it is kept once it has been read.
 */
export function renderPacketPdf(facts: PacketFacts): PDFKit.PDFDocument {
  const fonts = fontDir()
  const regular = path.join(fonts, 'DejaVuSans.ttf')
  const bold = path.join(fonts, 'DejaVuSans-Bold.ttf')
  const { report, company } = facts
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    info: {
      Title: `Certification packet: ${company.name}, ${report.heading}`,
      Author: company.name,
      Subject: 'Code of Ethics attestations',
    },
  })
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const heading = (text: string, size = 14) => {
    doc.moveDown(0.6).font(bold).fontSize(size).fillColor('black').text(text, doc.page.margins.left, doc.y, { width })
    doc.moveDown(0.3).font(regular).fontSize(10)
  }
  const line = (label: string, value: string) => {
    doc.font(bold).fontSize(10).text(`${label}: `, { continued: true, width }).font(regular).text(value)
  }
  const small = (text: string) => doc.font(regular).fontSize(8).fillColor('#333333').text(text, { width }).fillColor('black').fontSize(10)
  // Keeps a block together when it fits on a page.
  const room = (points: number) => {
    if (doc.y + points > doc.page.height - doc.page.margins.bottom) doc.addPage()
  }

  // ── Cover.
  doc.font(bold).fontSize(20).text('Certification packet', { width })
  doc.font(regular).fontSize(12).text('Code of Ethics for the CEO and Senior Financial Officers: the officers’ pre-filing attestations', {
    width,
  })
  doc.moveDown()
  line('Company', `${company.name} (${company.ticker})`)
  line('Report', report.heading)
  line('Form', report.formName)
  line(
    'Period',
    `${report.fiscalQuarter ? `Quarter ${report.fiscalQuarter} of fiscal ${report.fiscalYear}` : `Fiscal year ${report.fiscalYear}`}, ended ${calendarDate(report.periodEnd)}`,
  )
  line('Due date', report.dueDate ? calendarDate(report.dueDate) : 'not known (no filer category recorded for the period)')
  if (report.extendedDueDate) line('Extended due date (Form 12b-25)', calendarDate(report.extendedDueDate))
  line('Filed', report.filedAt ? instant(report.filedAt) : 'not filed')
  line('Accession number', report.accessionNumber ?? 'none yet')
  if (report.filedDraftSha256) line('Draft filed (SHA-256)', report.filedDraftSha256)
  line('Where it stands', report.state)
  line('Exported', instant(facts.exportedAt))
  doc.moveDown()
  small(
    'Every sign-off and signature below is quoted from its manifestation as signed. Its id is the SHA-256 of that manifestation; ' +
      'the record’s hash chain carries it, and the chain head at export time is signed (last section). The JSON evidence bundle of ' +
      'this report checks all of it offline: npm run verify -- <bundle.json>.',
  )

  // ── The matrix.
  heading('Who signed what: officers × duties')
  const officerWidth = Math.floor((width - 150) / Math.max(1, facts.officers.length))
  const header = [
    { text: 'Duty', type: 'TH' as const, font: { src: bold } },
    ...facts.officers.map((o) => ({ text: `${o.name}\n${o.roleTitle}`, type: 'TH' as const, font: { src: bold } })),
  ]
  const body = facts.officers.length
    ? facts.officers[0]!.cells.map((_, i) => [
        `${i + 1}. ${DUTIES[i]?.title ?? ''}`,
        ...facts.officers.map((o) => {
          const c = o.cells[i]!
          const parts = [c.words]
          if (c.signedAt) parts.push(longDate.format(new Date(c.signedAt)))
          if (c.reopened > 0) parts.push(`Reopened ${c.reopened === 1 ? 'once' : `${c.reopened} times`} before`)
          return parts.join('\n')
        }),
      ])
    : [['No officer holds a role today.']]
  doc.font(regular).fontSize(8)
  doc.table({
    columnStyles: [150, ...facts.officers.map(() => officerWidth)],
    defaultStyle: { border: 0.5, borderColor: '#888888', padding: [3, 3, 3, 3] as never },
    data: [header, ...body],
  })
  doc.fontSize(10)

  // ── The officers' sign-offs.
  heading('The officers’ sign-offs, as manifested')
  small('Oldest first. “Reopened” marks a sign-off that a withdrawal, a newer draft or a committee’s send back reopened.')
  for (const s of facts.signOffs) {
    room(120)
    doc.moveDown(0.4)
    doc
      .font(bold)
      .fontSize(10)
      .text(`Duty ${s.dutyNumber}. ${s.dutyTitle} — ${s.printedName}${s.standing === 'reopened' ? ' (reopened)' : ''}`, { width })
    doc.font(regular).fontSize(9)
    doc.text(`${s.title}, as ${s.role}`, { width })
    doc.text(`Meaning: ${s.meaningText}`, { width })
    doc.text(`Signed: ${instant(s.signedAt)} (${s.signedAtLocal})`, { width })
    doc.text(
      s.draft
        ? `Draft: ${s.draft.fileName ?? 'a draft'}${s.draft.version !== null ? ` (version ${s.draft.version})` : ''}, SHA-256 ${s.draft.sha256}`
        : 'Draft: none named (the duty is not about a draft)',
      { width },
    )
    doc.text(`Sign-off id (SHA-256 of the manifestation): ${s.id} · chain event ${s.sequence}`, { width })
    const answers = answerLines(s.answers)
    if (answers.length) small(`Answers as signed: ${answers.join(' · ')}`)
  }
  if (facts.signOffs.length === 0) doc.text('No officer has signed a duty of this report.', { width })

  // ── Exceptions and reported matters.
  heading('Exceptions and reported matters')
  small('The outcome of each matter only: its notes, the questions asked and who reported it stay with the matter’s recipients.')
  const exceptions = facts.signOffs.filter((s) => s.exception)
  for (const s of exceptions) {
    doc.text(`${s.printedName}, duty ${s.dutyNumber}: ${s.exception!.explanation}`, { width })
  }
  for (const c of facts.cases) {
    doc.text(
      `${c.label} (duty ${c.duty}): ${c.state}${c.outcome ? `; outcome: ${c.outcome}` : ''}${c.resolvedAt ? ` (${instant(c.resolvedAt)})` : ''}`,
      { width },
    )
  }
  if (exceptions.length === 0 && facts.cases.length === 0)
    doc.text('No exception was raised and no matter was reported on this report.', { width })

  // ── The committees' steps and the approvals for filing.
  heading('The committees’ steps and the approvals for filing')
  for (const s of facts.signatures) {
    room(80)
    doc.moveDown(0.4)
    doc.font(bold).fontSize(10).text(`${s.printedName}: ${s.meaningText}`, { width })
    doc.font(regular).fontSize(9)
    doc.text(`${s.title}`, { width })
    doc.text(`Signed: ${instant(s.signedAt)} (${s.signedAtLocal})`, { width })
    if (s.note) doc.text(`Note, as signed: ${s.note}`, { width })
    doc.text(`Signature id (SHA-256 of the manifestation): ${s.id} · chain event ${s.sequence}`, { width })
  }
  for (const b of facts.sendBacks) {
    doc.moveDown(0.4)
    doc.text(`${instant(b.at)}: the ${b.body} sent the report back (duties ${b.dutyNumbers.join(', ')}): “${b.reason}”`, { width })
  }
  if (facts.signatures.length === 0 && facts.sendBacks.length === 0) doc.text('No committee has acted on this report yet.', { width })

  // ── The signed chain head.
  heading('The record’s signed chain head at export time')
  doc.font(regular).fontSize(9)
  if (facts.head) {
    doc.text(`Installation: ${facts.head.installationId}`, { width })
    doc.text(`Event: ${facts.head.sequence} (signed ${instant(facts.head.signedAt)})`, { width })
    doc.text(`Head hash: ${facts.head.headHash}`, { width })
    doc.text(`Signature (Ed25519, base64): ${facts.head.signature}`, { width })
    doc.text(`Key fingerprint (SHA-256 of the public key): ${facts.head.keyFingerprint}`, { width })
  } else doc.text('The record holds no event yet.', { width })
  if (facts.head?.keyFingerprint !== facts.keyFingerprint) doc.text(`The installation’s key now: ${facts.keyFingerprint}`, { width })

  // ── Page numbers on every page.
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc
      .font(regular)
      .fontSize(8)
      .fillColor('#333333')
      .text(`${company.name} · ${report.heading} · Page ${i + 1} of ${range.count}`, doc.page.margins.left, doc.page.height - 40, {
        width,
        align: 'center',
        lineBreak: false,
      })
    doc.page.margins.bottom = bottom
  }
  doc.flushPages()
  doc.end()
  return doc
}
