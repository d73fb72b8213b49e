import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { getInstalledCompany } from '../../db/queries/company'
import { listPeriodicReports } from '../../db/queries/reports'
import { requireUser } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { describePeriod, shortHash } from '../utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  const db = await getDb()
  const company = await getInstalledCompany(db)
  if (!company) throw new Response('No company has been set up yet: run `npm start` once to seed the demo company.', { status: 503 })
  const reports = await listPeriodicReports(db, company.id)
  return { company: { name: company.name, ticker: company.ticker, exchange: company.exchange }, reports }
}

export default function PeriodicReports() {
  const { company, reports } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>
        {company.name} <span className="ticker">({company.exchange}: {company.ticker})</span>
      </h1>
      <section aria-labelledby="reports-title">
        <h2 id="reports-title">Periodic reports</h2>
        {reports.length === 0 ? (
          <p>No periodic reports yet.</p>
        ) : (
          <table className="reports">
            <caption className="visually-hidden">Periodic reports to the SEC, newest period first</caption>
            <thead>
              <tr>
                <th scope="col">Form</th>
                <th scope="col">Period</th>
                <th scope="col">Current draft</th>
                <th scope="col">Material information items</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <th scope="row">Form {r.form}</th>
                  <td>{describePeriod(r)}</td>
                  <td>
                    {r.draft_version && r.draft_sha256 ? (
                      <>
                        Draft {r.draft_version} <code title={`sha-256 ${r.draft_sha256}`}>{shortHash(r.draft_sha256)}</code>
                      </>
                    ) : (
                      'None registered'
                    )}
                  </td>
                  <td>{Number(r.material_item_count ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Periodic reports · ${data.company.name}` : 'Periodic reports' },
]
