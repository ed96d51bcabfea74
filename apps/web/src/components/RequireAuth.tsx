import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { sessionHint } from '../api/session.ts';
import { useMe } from '../hooks/useAuth.ts';
import { useHealth } from '../hooks/useHealth.ts';
import { PageLoader } from './PageLoader.tsx';

/** Sends a fresh install to first-run setup and a signed-out visitor to the login page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const health = useHealth();
  const me = useMe();
  if (health.data?.needs_setup) {
    return <Navigate to="/setup" replace />;
  }
  const next = `${location.pathname}${location.search}`;
  const login = <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  if (!sessionHint.get() || me.isError) {
    return login;
  }
  if (!me.data || health.isPending) {
    return <PageLoader />;
  }
  return children;
}
