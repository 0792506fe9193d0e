import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import {
  CreateTokenReplySchema,
  CreateTokenRequestSchema,
  RevokeTokenReplySchema,
  TicketReplySchema,
  TokenListSchema,
} from "./gen/tonearm/v1/access_pb.js";
import {
  CreateZoneRequestSchema,
  ZoneListSchema,
  ZoneReplySchema,
} from "./gen/tonearm/v1/zones_pb.js";
import { JobListSchema, JobReplySchema } from "./gen/tonearm/v1/jobs_pb.js";
import {
  AddFolderRequestSchema,
  AlbumListSchema,
  AnalyzeReplySchema,
  AnalyzeRequestSchema,
  ArtistListSchema,
  DirectoryListSchema,
  FileErrorListSchema,
  FolderListSchema,
  FolderReplySchema,
  GenreListSchema,
  LibrarySummarySchema,
  ScanReplySchema,
  ScanRequestSchema,
  TrackListSchema,
  TrackLoudnessSchema,
  TrackReplySchema,
} from "./gen/tonearm/v1/library_pb.js";
import {
  LyricsOffsetRequestSchema,
  LyricsPresentationRequestSchema,
  LyricsReplySchema,
} from "./gen/tonearm/v1/lyrics_pb.js";
import {
  MixerReplySchema,
  MixerVolumesRequestSchema,
  StemStripRequestSchema,
} from "./gen/tonearm/v1/mixer_pb.js";
import { OutputsReplySchema, ReplayGainConfigSchema } from "./gen/tonearm/v1/outputs_pb.js";
import {
  PlayRequestSchema,
  PlayerReplySchema,
  RepeatRequestSchema,
  SeekRequestSchema,
  ToggleRequestSchema,
  VolumeRequestSchema,
} from "./gen/tonearm/v1/player_pb.js";
import {
  AddPlaylistItemsRequestSchema,
  CreatePlaylistRequestSchema,
  MovePlaylistItemRequestSchema,
  PlaylistListSchema,
  PlaylistReplySchema,
  RemovePlaylistItemsRequestSchema,
  RenamePlaylistRequestSchema,
} from "./gen/tonearm/v1/playlists_pb.js";
import {
  QueueAddRequestSchema,
  QueueMoveRequestSchema,
  QueuePriorityRequestSchema,
  QueueRemoveRequestSchema,
  QueueReplySchema,
} from "./gen/tonearm/v1/queue_pb.js";
import {
  CrossfadeConfigSchema,
  EnhancementConfigSchema,
  ReferenceRequestSchema,
  RenderRequestSchema,
  SavePresetRequestSchema,
  SettingsReplySchema,
} from "./gen/tonearm/v1/settings_pb.js";

/** One command of the daemon's command table: the request it takes and the reply it answers. */
export interface CommandSpec<Req extends DescMessage, Rep extends DescMessage> {
  /** The request message (the HTTP route's body); `google.protobuf.Empty` for none. */
  readonly request: Req;
  /** The reply message (the HTTP route's answer). */
  readonly reply: Rep;
}

function spec<Req extends DescMessage, Rep extends DescMessage>(
  request: Req,
  reply: Rep,
): CommandSpec<Req, Rep> {
  return { request, reply };
}

/**
 * Every command the daemon runs on the socket, by name, with its request and reply messages:
 * the same table as docs/PROTOCOL.md "Command names" and the daemon's `CommandTable`. Path
 * segments and query parameters go in `params` (`id` for `outputs.enable`, `q` and `limit` for
 * `library.search`, `limit`, `cursor`, `album_id`, `artist_id`, `genre`, `folder_id`, `dir` for
 * `library.tracks`...).
 */
export const COMMANDS = {
  "player.state": spec(EmptySchema, PlayerReplySchema),
  "player.play": spec(PlayRequestSchema, PlayerReplySchema),
  "player.pause": spec(EmptySchema, PlayerReplySchema),
  "player.toggle": spec(EmptySchema, PlayerReplySchema),
  "player.stop": spec(EmptySchema, PlayerReplySchema),
  "player.next": spec(EmptySchema, PlayerReplySchema),
  "player.previous": spec(EmptySchema, PlayerReplySchema),
  "player.seek": spec(SeekRequestSchema, PlayerReplySchema),
  "player.volume": spec(VolumeRequestSchema, PlayerReplySchema),
  "player.mute": spec(ToggleRequestSchema, PlayerReplySchema),
  "player.shuffle": spec(ToggleRequestSchema, PlayerReplySchema),
  "player.single": spec(ToggleRequestSchema, PlayerReplySchema),
  "player.consume": spec(ToggleRequestSchema, PlayerReplySchema),
  "player.repeat": spec(RepeatRequestSchema, PlayerReplySchema),
  "queue.get": spec(EmptySchema, QueueReplySchema),
  "queue.set": spec(QueueAddRequestSchema, QueueReplySchema),
  "queue.append": spec(QueueAddRequestSchema, QueueReplySchema),
  "queue.insert": spec(QueueAddRequestSchema, QueueReplySchema),
  "queue.move": spec(QueueMoveRequestSchema, QueueReplySchema),
  "queue.priority": spec(QueuePriorityRequestSchema, QueueReplySchema),
  "queue.remove": spec(QueueRemoveRequestSchema, QueueReplySchema),
  "queue.clear": spec(EmptySchema, QueueReplySchema),
  "outputs.get": spec(EmptySchema, OutputsReplySchema),
  "outputs.enable": spec(EmptySchema, OutputsReplySchema),
  "outputs.disable": spec(EmptySchema, OutputsReplySchema),
  "outputs.replaygain": spec(ReplayGainConfigSchema, OutputsReplySchema),
  "library.summary": spec(EmptySchema, LibrarySummarySchema),
  "library.tracks": spec(EmptySchema, TrackListSchema),
  "library.track": spec(EmptySchema, TrackReplySchema),
  "library.albums": spec(EmptySchema, AlbumListSchema),
  "library.artists": spec(EmptySchema, ArtistListSchema),
  "library.genres": spec(EmptySchema, GenreListSchema),
  "library.search": spec(EmptySchema, TrackListSchema),
  "library.errors": spec(EmptySchema, FileErrorListSchema),
  "library.folders": spec(EmptySchema, FolderListSchema),
  "library.directory": spec(EmptySchema, DirectoryListSchema),
  "library.loudness": spec(EmptySchema, TrackLoudnessSchema),
  "library.add_folder": spec(AddFolderRequestSchema, FolderReplySchema),
  "library.remove_folder": spec(EmptySchema, FolderReplySchema),
  "library.scan": spec(ScanRequestSchema, ScanReplySchema),
  "library.analyze": spec(AnalyzeRequestSchema, AnalyzeReplySchema),
  "analysis.reset_meters": spec(EmptySchema, EmptySchema),
  "mixer.get": spec(EmptySchema, MixerReplySchema),
  "mixer.volumes": spec(MixerVolumesRequestSchema, MixerReplySchema),
  "mixer.stem": spec(StemStripRequestSchema, MixerReplySchema),
  "mixer.reset": spec(EmptySchema, MixerReplySchema),
  "lyrics.get": spec(EmptySchema, LyricsReplySchema),
  "lyrics.offset": spec(LyricsOffsetRequestSchema, LyricsReplySchema),
  "lyrics.presentation": spec(LyricsPresentationRequestSchema, LyricsReplySchema),
  "settings.get": spec(EmptySchema, SettingsReplySchema),
  "settings.enhancement": spec(EnhancementConfigSchema, SettingsReplySchema),
  "settings.crossfade": spec(CrossfadeConfigSchema, SettingsReplySchema),
  "settings.replay_gain": spec(ReplayGainConfigSchema, SettingsReplySchema),
  "settings.reference": spec(ReferenceRequestSchema, SettingsReplySchema),
  "settings.render": spec(RenderRequestSchema, JobReplySchema),
  "settings.preset_save": spec(SavePresetRequestSchema, SettingsReplySchema),
  "settings.preset_delete": spec(EmptySchema, SettingsReplySchema),
  "settings.reset": spec(EmptySchema, SettingsReplySchema),
  "playlists.list": spec(EmptySchema, PlaylistListSchema),
  "playlists.get": spec(EmptySchema, PlaylistReplySchema),
  "playlists.add": spec(AddPlaylistItemsRequestSchema, PlaylistReplySchema),
  "playlists.remove": spec(RemovePlaylistItemsRequestSchema, PlaylistReplySchema),
  "playlists.move": spec(MovePlaylistItemRequestSchema, PlaylistReplySchema),
  "playlists.create": spec(CreatePlaylistRequestSchema, PlaylistReplySchema),
  "playlists.rename": spec(RenamePlaylistRequestSchema, PlaylistReplySchema),
  "playlists.delete": spec(EmptySchema, PlaylistReplySchema),
  "playlists.clear": spec(EmptySchema, PlaylistReplySchema),
  "jobs.list": spec(EmptySchema, JobListSchema),
  "jobs.get": spec(EmptySchema, JobReplySchema),
  "jobs.cancel": spec(EmptySchema, JobReplySchema),
  "tokens.list": spec(EmptySchema, TokenListSchema),
  "tokens.create": spec(CreateTokenRequestSchema, CreateTokenReplySchema),
  "tokens.revoke": spec(EmptySchema, RevokeTokenReplySchema),
  "auth.ticket": spec(EmptySchema, TicketReplySchema),
  "zones.list": spec(EmptySchema, ZoneListSchema),
  "zones.create": spec(CreateZoneRequestSchema, ZoneReplySchema),
  "zones.delete": spec(EmptySchema, ZoneReplySchema),
} as const;

/** A command's name, e.g. `"player.seek"`. */
export type CommandName = keyof typeof COMMANDS;

/** The request a command takes, as an init object (`{ positionMs: 1000n }` for `player.seek`). */
export type CommandRequest<N extends CommandName> = MessageInitShape<(typeof COMMANDS)[N]["request"]>;

/** The reply a command answers with (`PlayerReply` for `player.seek`). */
export type CommandReply<N extends CommandName> = MessageShape<(typeof COMMANDS)[N]["reply"]>;

/** What a command's promise resolves to. */
export interface CommandResult<N extends CommandName> {
  /**
   * The seq of the state event the command caused (for a no-op, the newest event of the reply's
   * topic, so a mirror of that topic is already at it; for a query, the current seq). The
   * stream has delivered every event of its topics up to it when the promise resolves.
   */
  readonly seq: bigint;
  /** The reply, as its HTTP route answers it. */
  readonly reply: CommandReply<N>;
}
