// Compiled (not run) by `npm run check`: the JavaScript implementation must be assignable to the hand-kept
// declarations, so index.d.ts cannot drift from src/*.js unnoticed (member names, arities, return types).
import * as impl from '../src/dino.js';
import type * as decl from '../src/index.js';

export const client: typeof decl.DinoClient = impl.DinoClient;
export const room: typeof decl.Room = impl.Room;
export const dinoError: typeof decl.DinoError = impl.DinoError;
export const timeoutError: typeof decl.TimeoutError = impl.TimeoutError;
export const notConnectedError: typeof decl.NotConnectedError = impl.NotConnectedError;
export const closedError: typeof decl.ClosedError = impl.ClosedError;
export const codes: typeof decl.ClientCodes = impl.ClientCodes;
export const sequencer: typeof decl.LogSequencer = impl.LogSequencer;
export const inbox: typeof decl.INBOX = impl.INBOX;
export const roomLog: typeof decl.roomLog = impl.roomLog;
export const positionOf: typeof decl.positionOf = impl.positionOf;
export const backoffDelay: typeof decl.backoffDelay = impl.backoffDelay;
