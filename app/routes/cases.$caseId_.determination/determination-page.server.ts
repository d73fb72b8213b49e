// What the Board's determination page reads (duty 5): the referred matter in
// brief, the prior violations the record holds about the individual, the factors
// and the decision once recorded, who has signed and who has yet to, the notice
// and its acknowledgement, and the steps the determination's workflow allows now.
// Every read goes through db/queries/.
import type { DB } from '../../../db/client'
import { findCase, type FoundCase } from '../../../db/queries/cases'
import {
  type FoundDetermination,
  findDetermination,
  listDeterminationSignatures,
  listDeterminationsAbout,
  listDirectorsOn,
  listPriorViolationsFor,
} from '../../../db/queries/determinations'
import { findUserRecord } from '../../../db/queries/people'
import type { RecordReader } from '../../../db/queries/workflows'
import {
  BOARD_ACTIONS,
  type BoardDeterminationEvent,
  DETERMINATION_STATE_LABELS,
  SEVERITY_LEVELS,
  describeDeterminationState,
  mayTakePart,
} from '../../../machines/board-determination'
import {
  BOARD_ACTION_WORDS,
  DECIDED_BY_WORDS,
  FACTOR_WORDS,
  INTENT_WORDS,
  OCCURRENCE_WORDS,
  SEVERITY_WORDS,
  decisionActionWords,
} from '../../../machines/determination-words'
import { reporterUserId, routeCase } from '../../../machines/routing'
import type { CurrentUser } from '../../utils/auth.server'
import { formatInstantUtc } from '../../utils/format'
import { canSeeCase } from '../../utils/permissions.server'

/** A stand-in signature id, to ask the machine whether a director's signature would be taken now. */
const ANY_SIGNATURE = '0'.repeat(64)

/** The steps of the determination open to this director now, asked of its workflow (`snapshot.can`). */
export function allowedDeterminationSteps(found: FoundCase, determination: FoundDetermination | undefined, user: CurrentUser, now: Date) {
  const at = now.toISOString()
  const c = found.context
  if (c.subject.kind === 'none') return { record: false, sign: false, giveNotice: false, close: false }
  // Before its first step the workflow does not exist: the command starts it with the factors and the decision.
  const routing = routeCase({ duty: 5, subject: c.subject, reporter: c.reporter })
  const takesPart = mayTakePart({ routing, subject: c.subject }, user.id)
  if (!determination) return { record: takesPart, sign: false, giveNotice: false, close: false }
  const can = (event: BoardDeterminationEvent) => determination.snapshot.can(event)
  return {
    record: false,
    sign: takesPart && can({ type: 'determination.sign', at, signatureId: ANY_SIGNATURE, signerUserId: user.id }),
    giveNotice: takesPart && can({ type: 'determination.giveNotice', text: 'asked', at }),
    close: takesPart && can({ type: 'determination.close', at }),
  }
}

/** What the determination waits for, in one line with its times as the pages write them (UTC, to the second). */
export function determinationWaitsFor(determination: FoundDetermination | undefined): string {
  const d = determination?.context
  switch (determination?.path ?? 'opened') {
    case 'opened':
      return 'Waiting for the Board to weigh the factors and record its determination.'
    case 'factorsRecorded':
      return 'Factors recorded; waiting for the Board to decide and sign.'
    case 'decided':
      return `${d?.decision?.violation ? 'A violation was determined' : 'No violation was determined'}; waiting for the directors who took it to sign, and for the written notice to the individual.`
    case 'noticeGiven':
      return `Notice given ${d?.notice ? formatInstantUtc(d.notice.at) : ''}; waiting for the individual to acknowledge receipt (the Board may close without it).`
    case 'noticeAcknowledged':
      return `The individual acknowledged the notice on ${d?.noticeAcknowledgedAt ? formatInstantUtc(d.noticeAcknowledgedAt) : ''}; waiting to be closed.`
    case 'closed':
      return `Closed ${d?.closedAt ? formatInstantUtc(d.closedAt) : ''}.`
    default:
      return describeDeterminationState({ value: determination!.snapshot.value, context: d! })
  }
}

/** The notice the page offers to start from: the decision in the code's words, for the Board to edit. */
function suggestedNotice(decision: NonNullable<FoundDetermination['context']['decision']>): string {
  if (!decision.violation) {
    return 'The Board of Directors has determined that there has been no violation of the Code of Business Conduct and Ethics or of the Code of Ethics for the CEO and Senior Financial Officers in the matter referred to it.'
  }
  return [
    'The Board of Directors has determined that there has been a violation of the Code of Business Conduct and Ethics or of the Code of Ethics for the CEO and Senior Financial Officers.',
    `The Board has decided: ${decisionActionWords(decision).join('; ')}.`,
  ].join(' ')
}

export async function loadDeterminationPage(db: DB, reader: RecordReader, found: FoundCase, user: CurrentUser, now: Date) {
  const c = found.context
  const determination = await findDetermination(db, reader, found.caseId)
  const d = determination?.context
  const subject = c.subject.kind === 'none' ? null : await findUserRecord(db, c.subject.userId)

  // The fifth factor is found, never typed: before the decision, from the record as it stands;
  // after it, the cases the decision weighed (named in its factors).
  const found5 = await listPriorViolationsFor(db, reader, found)
  const weighedIds = d?.factors ? d.factors.priorViolationCaseIds : found5.map((p) => p.caseId)
  const about = c.subject.kind === 'none' ? [] : await listDeterminationsAbout(db, reader, c.subject.userId)
  const priorViolations = await Promise.all(
    weighedIds.map(async (caseId) => {
      const earlier = about.find((a) => a.caseId === caseId)?.context.decision
      const priorCase = await findCase(db, reader, caseId)
      return {
        caseId,
        // A link only where this director may open that case.
        link: priorCase !== undefined && canSeeCase(user, priorCase.context),
        decidedAt: earlier ? formatInstantUtc(earlier.decidedAt) : null,
        actions: earlier ? decisionActionWords(earlier) : [],
        rationale: earlier?.rationale ?? null,
      }
    }),
  )

  const signatures = await listDeterminationSignatures(db, found.caseId)
  const routing = c.subject.kind === 'none' ? null : routeCase({ duty: 5, subject: c.subject, reporter: c.reporter })
  // The reporter follows the matter as its reporter, not on this page (docs/decisions/017): not listed as one to sign.
  const reporter = reporterUserId(c.reporter)
  const directors = (await listDirectorsOn(db, now.toISOString().slice(0, 10))).filter(
    (dir) => routing !== null && c.subject.kind !== 'none' && dir.id !== reporter && mayTakePart({ routing, subject: c.subject }, dir.id),
  )
  const signedIds = new Set(signatures.map((s) => s.signer_user_id))
  const path = determination?.path ?? 'opened'

  return {
    caseId: found.caseId,
    version: determination?.version ?? 0,
    path,
    stateLabel: DETERMINATION_STATE_LABELS[path] ?? path,
    description: determinationWaitsFor(determination),
    matter: {
      summary: c.summary,
      duty: c.duty,
      referredAt: c.referral ? formatInstantUtc(c.referral.at) : null,
      referralNote: c.referral?.note ?? null,
      violationOfCodes: c.referral?.violationOfCodes ?? false,
    },
    individual: subject ? { name: subject.full_name, title: subject.title } : null,
    priorViolations,
    factors: d?.factors
      ? {
          recordedAt: formatInstantUtc(d.factors.recordedAt),
          rows: [
            {
              label: FACTOR_WORDS.natureAndSeverity,
              value: `${SEVERITY_WORDS[d.factors.natureAndSeverity.severity]}. ${d.factors.natureAndSeverity.description}`,
            },
            { label: FACTOR_WORDS.occurrence, value: OCCURRENCE_WORDS[d.factors.occurrence] },
            { label: FACTOR_WORDS.intent, value: INTENT_WORDS[d.factors.intent] },
            { label: FACTOR_WORDS.advisedBeforehand, value: d.factors.advisedBeforehand ? 'Yes, advised beforehand' : 'No' },
            {
              label: FACTOR_WORDS.priorViolations,
              value: d.factors.priorViolations
                ? `Yes: ${d.factors.priorViolationCaseIds.length} found in the record (below)`
                : 'None found in the record',
            },
            ...(d.factors.otherRelevantInformation
              ? [{ label: FACTOR_WORDS.otherRelevantInformation, value: d.factors.otherRelevantInformation }]
              : []),
          ],
        }
      : null,
    decision: d?.decision
      ? {
          violation: d.decision.violation,
          decidedBy: DECIDED_BY_WORDS[d.decision.decidedBy],
          decidedAt: formatInstantUtc(d.decision.decidedAt),
          rationale: d.decision.rationale,
          actions: decisionActionWords(d.decision),
        }
      : null,
    signatures: signatures.map((s) => ({
      id: s.id,
      name: s.printed_name,
      title: s.title,
      signedAt: formatInstantUtc(s.signed_at),
      signedAtLocal: s.signed_at_local,
      note: s.note,
    })),
    // Directors sitting today who may take part and have not signed (after the notice, those who did not).
    notSigned: directors.filter((dir) => !signedIds.has(dir.id)).map((dir) => ({ id: dir.id, name: dir.full_name, title: dir.title })),
    notice: d?.notice ? { text: d.notice.text, at: formatInstantUtc(d.notice.at) } : null,
    acknowledgedAt: d?.noticeAcknowledgedAt ? formatInstantUtc(d.noticeAcknowledgedAt) : null,
    closedAt: d?.closedAt ? formatInstantUtc(d.closedAt) : null,
    youSigned: signedIds.has(user.id),
    allowed: allowedDeterminationSteps(found, determination, user, now),
    suggestedNotice: d?.decision ? suggestedNotice(d.decision) : '',
    choices: {
      severity: SEVERITY_LEVELS.map((v) => ({ value: v, label: SEVERITY_WORDS[v] })),
      occurrence: (['single', 'repeated'] as const).map((v) => ({ value: v, label: OCCURRENCE_WORDS[v] })),
      intentional: (['intentional', 'inadvertent'] as const).map((v) => ({ value: v, label: INTENT_WORDS[v] })),
      decidedBy: (['board', 'board_designee'] as const).map((v) => ({ value: v, label: DECIDED_BY_WORDS[v] })),
      actions: BOARD_ACTIONS.map((v) => ({ value: v, label: BOARD_ACTION_WORDS[v] })),
    },
    factorWords: FACTOR_WORDS,
  }
}
export type DeterminationPageData = Awaited<ReturnType<typeof loadDeterminationPage>>
