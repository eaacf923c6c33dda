import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../electron/api/router';
import { isUnreachable } from './connection';
import { createLinks } from './links';

export const queryClient = new QueryClient({
  defaultOptions: {
    // Live screens are pushed by subscriptions; refetching on focus would only add load.
    // A server out of reach is waited for, not reported: the query keeps its last data and asks
    // again (every 1 s, then every 3 s) until the server answers, while the offline banner says
    // why nothing changes. A typed error from the server is tried once more, then shown.
    queries: {
      refetchOnWindowFocus: false,
      retry: (failures, error) => isUnreachable(error) || failures < 1,
      retryDelay: (failures) => (failures < 3 ? 1_000 : 3_000),
      staleTime: 1_000,
    },
    mutations: { retry: false },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({ links: createLinks() });

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
