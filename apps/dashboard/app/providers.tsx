"use client";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import { useSubscription } from "@trpc/tanstack-react-query";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { ConnectionContext, type ConnectionState } from "#client/connection-state.ts";
import { applyLiveEvent, type LiveKeys, resumeId } from "#client/live-cache.ts";
import { useShownHosts } from "#client/shown-hosts.ts";
import { TRPCProvider, useTRPC } from "#client/trpc.ts";
import type { AppRouter } from "../src/server/trpc/root";

function makeClients() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 } },
  });
  // The URL is computed on first use: pages are also rendered on the server, where there is
  // no `location`; lazy mode opens the socket only when a subscription starts.
  const wsClient = createWSClient({
    url: () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/trpc-ws`,
    lazy: { enabled: true, closeMs: 10_000 },
    retryDelayMs: (attempt) => Math.min(10_000, 500 * 2 ** attempt),
    // 4401: the server closed the socket because the token was revoked or the session ended.
    onClose: (cause) => {
      if (cause?.code === 4401) location.assign("/login");
    },
  });
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: "/api/trpc" }),
      }),
    ],
  });
  return { queryClient, trpcClient, wsClient };
}

/** Follows the live stream: the shown hosts' changes are applied to their cached inventories
 * (no refetch), and with no host shown every host's summary goes into the hosts list. */
function LiveUpdates({ onState }: { onState: (s: ConnectionState) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const shown = useShownHosts();
  const keys = useMemo<LiveKeys>(
    () => ({ inventory: (id) => trpc.hosts.inventory.queryKey({ id }), list: () => trpc.hosts.list.queryKey() }),
    [trpc],
  );
  // A new set of hosts starts a new subscription, from where the cached inventories are (the
  // first one's position; any other host starts with a snapshot). On a reconnect tRPC sends
  // the id of the last event instead.
  const input = useMemo(
    () => (shown.length === 0 ? {} : { hostIds: [...shown], lastEventId: resumeId(queryClient, keys, shown) }),
    [shown, queryClient, keys],
  );
  const sub = useSubscription(
    trpc.live.events.subscriptionOptions(input, {
      onStarted: () => {
        // Summaries missed while no subscription ran: the list is read again once.
        if (!input.hostIds) void queryClient.invalidateQueries({ queryKey: keys.list() });
      },
      onData: (event) => {
        const e = "data" in event ? event.data : event;
        onState({ live: true, lagMs: Date.now() - e.at, lastEventAt: Date.now() });
        applyLiveEvent(queryClient, keys, e);
      },
    }),
  );
  useEffect(() => {
    if (sub.status === "error" || sub.status === "connecting") onState({ live: false, lagMs: null, lastEventAt: null });
  }, [sub.status, onState]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [clients] = useState(makeClients);
  const [conn, setConn] = useState<ConnectionState>({ live: false, lagMs: null, lastEventAt: null });
  useEffect(
    () => () => {
      void clients.wsClient.close();
    },
    [clients],
  );
  return (
    <QueryClientProvider client={clients.queryClient}>
      <TRPCProvider trpcClient={clients.trpcClient} queryClient={clients.queryClient}>
        <ConnectionContext.Provider value={conn}>
          <LiveUpdates onState={setConn} />
          {children}
        </ConnectionContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
