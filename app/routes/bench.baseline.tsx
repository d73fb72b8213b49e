import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '../utils/auth.server'

// The benchmark's floor (issue 13, bench/pages.ts): a one-line page of the same
// build inside the same root layout, behind the same sign-in as the dashboard,
// reading nothing of the record. Every page's req/s is quoted as a ratio to this.

export const meta: MetaFunction = () => [{ title: 'Signed in — Code of Ethics attestations' }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return { name: user.fullName }
}

export default function BenchBaseline() {
  const { name } = useLoaderData<typeof loader>()
  return <h1>Signed in as {name}</h1>
}
