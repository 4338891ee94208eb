"use client";
import { createContext, useContext } from "react";

export interface ConnectionState {
  /** The live websocket is open. */
  live: boolean;
  /** Milliseconds between the hub seeing a change and this page hearing of it (last event). */
  lagMs: number | null;
  lastEventAt: number | null;
}

export const ConnectionContext = createContext<ConnectionState>({ live: false, lagMs: null, lastEventAt: null });
export const useConnection = () => useContext(ConnectionContext);
