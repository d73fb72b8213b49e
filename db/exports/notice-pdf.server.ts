// The written notice of a Board determination as a PDF (duty 5: "written notices
// to the individual involved"), drawn with pdfkit from db/queries/determinations.ts's
// notice facts: the determination, its actions, its reasons, its date, the
// directors who signed it, and whether its receipt was acknowledged; nothing of
// the case behind it. Fonts as the certification packet sets them
// (db/exports/packet-pdf.server.ts): DejaVu Sans from assets/fonts, by path.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import PDFDocument from 'pdfkit'
import { decisionActionWords, determinationWords } from '../../machines/determination-words'
import type { NoticeFacts } from '../queries/determinations'

function fontDir(): string {
  const candidates = [
    path.resolve(process.cwd(), 'assets/fonts'),
    // db/exports/ and build/server/ are both two levels below the repository.
    fileURLToPath(new URL('../../assets/fonts', import.meta.url)),
  ]
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'DejaVuSans.ttf')))
  if (!found) throw new Error(`The notice's fonts are missing: looked in ${candidates.join(', ')}`)
  return found
}

const utc = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'UTC' })
const instant = (iso: string) => `${utc.format(new Date(iso))} UTC`

/** The notice as a pdfkit document, already ended: pipe it to a response. */
export function renderNoticePdf(facts: NoticeFacts, now: Date): PDFKit.PDFDocument {
  const fonts = fontDir()
  const regular = path.join(fonts, 'DejaVuSans.ttf')
  const bold = path.join(fonts, 'DejaVuSans-Bold.ttf')
  const company = facts.company?.name ?? ''
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    info: { Title: `Notice from the Board of Directors: ${facts.caseId}`, Author: company, Subject: 'Code of Ethics, duty 5' },
  })
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right
  const heading = (text: string) => doc.moveDown(0.8).font(bold).fontSize(12).text(text, { width }).moveDown(0.2).font(regular).fontSize(10)
  const line = (label: string, value: string) =>
    doc.font(bold).fontSize(10).text(`${label}: `, { continued: true, width }).font(regular).text(value)

  doc.font(bold).fontSize(18).text('Notice from the Board of Directors', { width })
  doc.font(regular).fontSize(11).text(`${company} · Code of Ethics for the CEO and Senior Financial Officers, duty 5`, { width })
  doc.moveDown()
  line('To', `${facts.individual.name}, ${facts.individual.title}`)
  line('Given', instant(facts.notice!.at))
  line('Reference', `Matter ${facts.caseId}`)

  heading('The notice')
  doc.text(facts.notice!.text, { width })

  heading('The Board’s determination')
  doc.font(bold).text(determinationWords(facts.decision), { width }).font(regular)
  line('Determined', instant(facts.decidedAt))
  const actions = decisionActionWords(facts.decision)
  if (actions.length) {
    heading('Actions')
    doc.list(actions, { width, bulletRadius: 2 })
  }
  heading('The Board’s reasons')
  doc.text(facts.decision.rationale, { width })

  heading('Signed by')
  for (const s of facts.signatures) doc.text(`${s.name}, ${s.title} — ${instant(s.signedAt)}`, { width })

  heading('Acknowledgement of receipt')
  doc.text(
    facts.acknowledgedAt ? `Acknowledged by ${facts.individual.name} on ${instant(facts.acknowledgedAt)}.` : 'Not acknowledged yet.',
    {
      width,
    },
  )
  doc.moveDown()
  doc
    .font(regular)
    .fontSize(8)
    .fillColor('#333333')
    .text(`Printed ${instant(now.toISOString())}.`, { width })
  doc.end()
  return doc
}
