import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { queryClient, setSignedOutHandler } from './queryClient.ts';
import { router } from './router.tsx';
import { theme } from './theme.ts';

setSignedOutHandler(() => {
  queryClient.removeQueries({ queryKey: ['me'] });
  void router.navigate('/login');
});

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
