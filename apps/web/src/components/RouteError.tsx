import { Alert, Button, Container, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Alert
          color={notFound ? 'gray' : 'red'}
          icon={<IconAlertTriangle />}
          title={notFound ? 'Page not found' : 'This page failed'}
        >
          {notFound
            ? 'There is nothing at this address.'
            : error instanceof Error
              ? error.message
              : 'Unexpected error.'}
        </Alert>
        <Button component={Link} to="/" variant="light" w="fit-content">
          Back to the dashboard
        </Button>
      </Stack>
    </Container>
  );
}
