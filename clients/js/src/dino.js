// @dino/client: the browser and Node.js SDK of Dino's WebSocket protocol (docs/protocol.md, docs/js-sdk.md).
export { DinoClient } from './client.js';
export { Room } from './room.js';
export { DinoError, TimeoutError, NotConnectedError, ClosedError, ClientCodes } from './errors.js';
export { LogSequencer, positionOf, INBOX, roomLog } from './sequencer.js';
export { backoffDelay } from './backoff.js';
