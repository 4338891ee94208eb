import type { ReactNode } from "react";
import { AppHeader } from "../../src/client/app-header";
import { AuthGate } from "../../src/client/auth-gate";
import { Providers } from "../providers";

export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <AuthGate>
        <AppHeader />
        <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
      </AuthGate>
    </Providers>
  );
}
