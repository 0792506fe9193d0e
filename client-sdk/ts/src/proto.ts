/**
 * The tonearm.v1 messages, generated at build time from proto/src/main/proto by protoc-gen-es:
 * each message's type (e.g. `PlayerState`) and its schema (`PlayerStateSchema`) for `create`,
 * `toBinary` and `fromBinary` of `@bufbuild/protobuf`.
 *
 * @module
 */
export * from "./gen/tonearm/v1/access_pb.js";
export * from "./gen/tonearm/v1/analysis_pb.js";
export * from "./gen/tonearm/v1/common_pb.js";
export * from "./gen/tonearm/v1/events_pb.js";
export * from "./gen/tonearm/v1/jobs_pb.js";
export * from "./gen/tonearm/v1/library_pb.js";
export * from "./gen/tonearm/v1/lyrics_pb.js";
export * from "./gen/tonearm/v1/mixer_pb.js";
export * from "./gen/tonearm/v1/outputs_pb.js";
export * from "./gen/tonearm/v1/player_pb.js";
export * from "./gen/tonearm/v1/playlists_pb.js";
export * from "./gen/tonearm/v1/queue_pb.js";
export * from "./gen/tonearm/v1/settings_pb.js";
export * from "./gen/tonearm/v1/zones_pb.js";
