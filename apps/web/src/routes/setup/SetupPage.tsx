import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { messageOf } from '../../api/errors.ts';
import { fieldErrors } from '../../api/fieldErrors.ts';
import { AuthCard } from '../../components/AuthCard.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useSetup } from '../../hooks/useAuth.ts';
import { useHealth } from '../../hooks/useHealth.ts';

/** First run: creates the admin account, then signs it in. */
export function SetupPage() {
  const health = useHealth();
  const setup = useSetup();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  if (health.isPending) {
    return <PageLoader />;
  }
  if (health.data && !health.data.needs_setup && !setup.isSuccess) {
    return <Navigate to="/login" replace />;
  }

  const errors = fieldErrors(setup.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) {
      return;
    }
    setup.mutate({ email, password }, { onSuccess: () => void navigate('/', { replace: true }) });
  };

  return (
    <AuthCard
      title="Welcome to Image Studio"
      subtitle="Create the administrator account to finish setting up."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {setup.error && !errors.email && !errors.password && (
            <Alert color="red" title="Setup failed">
              {messageOf(setup.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            error={errors.email}
            onChange={(e) => setEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description="At least 8 characters."
            autoComplete="new-password"
            required
            value={password}
            error={errors.password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <PasswordInput
            label="Confirm password"
            autoComplete="new-password"
            required
            value={confirm}
            error={mismatch ? 'The passwords do not match.' : undefined}
            onChange={(e) => setConfirm(e.currentTarget.value)}
          />
          <Button type="submit" loading={setup.isPending}>
            Create admin account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
