import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { messageOf } from '../../api/errors.ts';
import { sessionHint } from '../../api/session.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { useLogin, useMe } from '../../hooks/useAuth.ts';
import { useHealth } from '../../hooks/useHealth.ts';

/** Only same-site paths are followed after login, never another origin. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const health = useHealth();
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));

  if (health.data?.needs_setup) {
    return <Navigate to="/setup" replace />;
  }
  if (sessionHint.get() && me.data && !login.isPending) {
    return <Navigate to={next} replace />;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  };

  return (
    <AuthCard title="Sign in" subtitle="Use the account your administrator created for you.">
      <form onSubmit={submit} noValidate>
        <Stack>
          {login.error && (
            <Alert color="red" title="Could not sign in" role="alert">
              {messageOf(login.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
