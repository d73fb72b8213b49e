import type { DutyAnswers } from '../../machines/duty-answers'
import { AUDITOR_PARTIES, MATTER_CATEGORIES, MEETING_GROUP_LABELS } from '../utils/duty-forms'
import { formatCalendarDate, formatInstantUtc } from '../utils/format'

// The answers and evidence recorded in the duty's workflow, as the officer will
// sign them (the manifestation carries exactly these).

const yesNo = (b: boolean) => (b ? 'Yes' : 'No')

function categoryLabel(category: string): string {
  for (const labels of Object.values(MATTER_CATEGORIES)) {
    const label = (labels as Record<string, string>)[category]
    if (label) return label
  }
  return category
}

export function AnswerSummary({ answers, dutyNumber, timeZone }: { answers: DutyAnswers; dutyNumber: number; timeZone: string }) {
  if ('items' in answers) {
    return (
      <>
        {answers.items.length ? (
          <ul className="ow-answer-items">
            {answers.items.map((item) => (
              <li key={item.caseId}>
                Case <code>{item.caseId}</code>
                {'category' in item && item.category ? <> — {categoryLabel(item.category)}</> : null}: {item.summary}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          {answers.noneBeyondReported
            ? `None beyond those already reported${answers.items.length ? ' and listed' : ''}.`
            : answers.items.length
              ? null
              : 'No matter listed.'}
        </p>
      </>
    )
  }
  if ('acknowledgesBoardDetermination' in answers) {
    return <p>You acknowledge that the Board of Directors determines the actions to be taken for violations (duty {dutyNumber}).</p>
  }
  if ('accurateAndComplete' in answers) {
    return (
      <dl className="ow-answer-list">
        <div>
          <dt>Draft reviewed</dt>
          <dd>
            <code className="ow-hash">{answers.draftSha256}</code>
          </dd>
        </div>
        <div>
          <dt>Accurate and complete</dt>
          <dd>{yesNo(answers.accurateAndComplete)}</dd>
        </div>
        <div>
          <dt>Comments</dt>
          <dd>{answers.comments || '—'}</dd>
        </div>
      </dl>
    )
  }
  if ('established' in answers) {
    return (
      <dl className="ow-answer-list">
        <div>
          <dt>Established for the period</dt>
          <dd>{yesNo(answers.established)}</dd>
        </div>
        <div>
          <dt>Operating effectively</dt>
          <dd>{yesNo(answers.operatingEffectively)}</dd>
        </div>
        <div>
          <dt>Changes in the period</dt>
          <dd>{answers.changesInPeriod}</dd>
        </div>
        <div>
          <dt>Reference document</dt>
          <dd>
            {answers.referenceDocument ? (
              <>
                {answers.referenceDocument.title} (<code>{answers.referenceDocument.identifier}</code>)
              </>
            ) : (
              'None named'
            )}
          </dd>
        </div>
      </dl>
    )
  }
  if ('meetings' in answers) {
    return (
      <>
        <p>
          About draft <code className="ow-hash">{answers.draftSha256}</code>
        </p>
        {answers.meetings.map((m, i) => (
          <div key={i} className="ow-meeting">
            <p>
              <strong>Meeting of {formatCalendarDate(m.heldOn)}</strong>
            </p>
            <ul>
              {m.attendees.map((a, j) => (
                <li key={j}>
                  {a.name} <span className="ow-muted">({MEETING_GROUP_LABELS[a.group]})</span>
                </li>
              ))}
            </ul>
            {m.comments.length ? (
              <dl className="ow-answer-list">
                {m.comments.map((c, j) => (
                  <div key={j}>
                    <dt>Comment: {c.text}</dt>
                    <dd>Disposition: {c.disposition}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="ow-muted">No comments recorded.</p>
            )}
          </div>
        ))}
      </>
    )
  }
  if ('consultedOn' in answers) {
    return (
      <dl className="ow-answer-list">
        <div>
          <dt>Consulted on</dt>
          <dd>{formatCalendarDate(answers.consultedOn)}</dd>
        </div>
        <div>
          <dt>Weaknesses or concerns identified</dt>
          <dd>{yesNo(answers.weaknessesIdentified)}</dd>
        </div>
        <div>
          <dt>Summary</dt>
          <dd>{answers.summary}</dd>
        </div>
        {answers.caseId ? (
          <div>
            <dt>Case</dt>
            <dd>
              <code>{answers.caseId}</code>
            </dd>
          </div>
        ) : null}
      </dl>
    )
  }
  if ('internalAuditor' in answers) {
    const local = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone })
    return (
      <>
        <p>
          About draft <code className="ow-hash">{answers.draftSha256}</code>
        </p>
        <dl className="ow-answer-list">
          {AUDITOR_PARTIES.map((party) => {
            const c = answers[party.key]
            return (
              <div key={party.key}>
                <dt>{party.label}</dt>
                <dd>
                  Confirmed by {c.confirmedBy}, {formatInstantUtc(c.confirmedAt)} ({local.format(new Date(c.confirmedAt))} company time), on
                  document <code className="ow-hash">{c.documentSha256}</code>. No material misstatements or omissions known.{' '}
                  {c.noMdaConcerns ? 'No concerns about the MD&A.' : 'Concerns about the MD&A.'}
                </dd>
              </div>
            )
          })}
        </dl>
      </>
    )
  }
  return null
}
