import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { PageLoader } from './components/PageLoader.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { RouteError } from './components/RouteError.tsx';
import { DashboardPage } from './routes/dashboard/DashboardPage.tsx';
import { LoginPage } from './routes/login/LoginPage.tsx';
import { SetupPage } from './routes/setup/SetupPage.tsx';

// Each studio is its own chunk, so the first load carries only the shell.
const CompressPage = lazy(() => import('./routes/compress/CompressPage.tsx'));
const ControlPage = lazy(() => import('./routes/control/ControlPage.tsx'));
const CreatePage = lazy(() => import('./routes/create/CreatePage.tsx'));
const EditPage = lazy(() => import('./routes/edit/EditPage.tsx'));
const LibraryPage = lazy(() => import('./routes/library/LibraryPage.tsx'));
const SettingsPage = lazy(() => import('./routes/settings/SettingsPage.tsx'));
const SharePage = lazy(() => import('./routes/share/SharePage.tsx'));
const SocialPage = lazy(() => import('./routes/social/SocialPage.tsx'));
const UpscalePage = lazy(() => import('./routes/upscale/UpscalePage.tsx'));

const later = (page: ReactNode) => <Suspense fallback={<PageLoader />}>{page}</Suspense>;

export const router = createBrowserRouter([
  { path: '/setup', element: <SetupPage />, errorElement: <RouteError /> },
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  // A share link opens without an account.
  { path: '/s/:token', element: later(<SharePage />), errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'create', element: later(<CreatePage />) },
      { path: 'edit', element: later(<EditPage />) },
      { path: 'upscale', element: later(<UpscalePage />) },
      { path: 'social', element: later(<SocialPage />) },
      { path: 'control', element: later(<ControlPage />) },
      { path: 'compress', element: later(<CompressPage />) },
      { path: 'library', element: later(<LibraryPage />) },
      { path: 'settings', element: later(<SettingsPage />) },
    ],
  },
]);
