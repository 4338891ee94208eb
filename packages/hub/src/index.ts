export { applyChanges } from "./apply-changes.js";
export { type Db, openDatabase } from "./database.js";
export { HubFrameError } from "./errors.js";
export {
  type Credential,
  type FleetEvent,
  FleetStore,
  type FleetStoreOptions,
  type HostRecord,
  type HostState,
  type Session,
} from "./fleet-store.js";
export { SESSION_TTL_MS, type SessionInfo, SessionStore } from "./session-store.js";
export { hashToken, ROLES, type Role, sameSecret, TokenError, type TokenInfo, TokenStore } from "./token-store.js";
export { type MatchKind, type SearchableHost, type SearchMatch, searchFleet } from "./search.js";
