import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { signOut } from '../utils/auth.server'
import { getDb } from '../utils/db.server'
import { requireSameOrigin } from '../utils/request-security.server'

// A GET never signs anyone out: a link or an image on another page could fire it.
export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  await requireSameOrigin(request)
  const setCookie = await signOut(await getDb(), request)
  return redirect('/login', { headers: { 'Set-Cookie': setCookie } })
}
