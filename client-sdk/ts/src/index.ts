/**
 * The Tonearm client for browsers and Node 20: one resumable WebSocket to the daemon speaking
 * binary protobuf (types generated from the daemon's own .proto files), a live state mirror,
 * typed commands and analysis frames with a clock estimate to draw them on time.
 *
 * @module
 */
export { Backoff } from "./backoff.js";
export { ClockEstimate } from "./clock.js";
export {
  COMMANDS,
  type CommandName,
  type CommandReply,
  type CommandRequest,
  type CommandResult,
  type CommandSpec,
} from "./commands.js";
export { ConnectionError, TonearmError } from "./errors.js";
export {
  type ConnectionState,
  type Disconnect,
  EventStream,
  type EventStreamEvents,
  type EventStreamOptions,
  type Logger,
} from "./event-stream.js";
export { type FrameListener, FrameSubscription } from "./frame-subscription.js";
export {
  MIRROR_TOPICS,
  type MirrorPart,
  StateMirror,
  type StateMirrorEvents,
} from "./mirror.js";
export { positionAtUs, positionNowMs } from "./position.js";
export { ResumeCursor, type EnvelopeKind, type StreamPosition } from "./resume-cursor.js";
export {
  checkView,
  FRAME_TOPICS,
  type FrameViewInit,
  MAX_FPS,
  metersView,
  type OnsetOptions,
  onsetsView,
  type SpectrumOptions,
  spectrumView,
  stemMetersView,
  transportView,
  type WaveformOptions,
  waveformView,
} from "./views.js";
export type { WebSocketConstructor, WebSocketLike } from "./websocket.js";
export { decodeSeries } from "./series.js";
export * from "./proto.js";
