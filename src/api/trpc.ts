import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../electron/api/router';
import { createLinks } from './links';

export const queryClient = new QueryClient({
  defaultOptions: {
    // Live screens are pushed by subscriptions; refetching on focus would only add load.
    queries: { refetchOnWindowFocus: false, retry: 1, staleTime: 1_000 },
    mutations: { retry: false },
  },
});

export const trpcClient = createTRPCClient<AppRouter>({ links: createLinks() });

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
