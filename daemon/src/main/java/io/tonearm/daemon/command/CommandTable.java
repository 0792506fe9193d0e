package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.tonearm.daemon.access.Access;
import io.tonearm.daemon.access.Scope;
import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.Browser;
import io.tonearm.daemon.library.TrackAnalysis;
import io.tonearm.daemon.library.Uploads;
import io.tonearm.daemon.lyrics.Lyrics;
import io.tonearm.daemon.mixer.Mixer;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.AddFolderRequest;
import io.tonearm.proto.v1.AddPlaylistItemsRequest;
import io.tonearm.proto.v1.AnalyzeRequest;
import io.tonearm.proto.v1.CreatePlaylistRequest;
import io.tonearm.proto.v1.CreateTokenRequest;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.LyricsOffsetRequest;
import io.tonearm.proto.v1.LyricsPresentationRequest;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.MovePlaylistItemRequest;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueuePriorityRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.ReferenceRequest;
import io.tonearm.proto.v1.RemovePlaylistItemsRequest;
import io.tonearm.proto.v1.RenamePlaylistRequest;
import io.tonearm.proto.v1.RenderRequest;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SavePresetRequest;
import io.tonearm.proto.v1.ScanRequest;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.StemStripRequest;
import io.tonearm.proto.v1.ToggleRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Every command of the daemon, declared once: name, HTTP method and path, request message and
 * handler (MPD's {@code command/AllCommands.cxx} plays the same part). HTTP mounts it on the router
 * ({@link HttpCommands}); the socket looks commands up by name ({@link CommandRunner}). A few
 * routes answer or take raw bytes (artwork, waveform overviews, M3U) and are declared here too, as
 * HTTP-only routes. Built once at start, then read-only and shared by every thread.
 */
public final class CommandTable {

  private static final Empty NONE = Empty.getDefaultInstance();

  /**
   * A route that answers or takes bytes rather than a message: reachable over HTTP only.
   *
   * @param name dotted name, as for a {@link Command}
   */
  public record HttpRoute(
      String name, String method, String path, Scope scope, ApiHandler handler) {}

  private final Map<String, Command<?>> byName = new LinkedHashMap<>();
  private final List<HttpRoute> httpOnly;

  private CommandTable(List<Command<?>> commands, List<HttpRoute> httpOnly) {
    for (Command<?> c : commands) {
      if (byName.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException("command declared twice: " + c.name());
      }
    }
    this.httpOnly = List.copyOf(httpOnly);
  }

  /** The table of a daemon whose only domains are the player and its settings (tests). */
  public static CommandTable of(Player player, Settings settings) {
    return newBuilder().player(player).settings(settings).build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Every command, in declaration order. */
  public List<Command<?>> commands() {
    return List.copyOf(byName.values());
  }

  /** The HTTP-only routes. */
  public List<HttpRoute> httpOnly() {
    return httpOnly;
  }

  /** The command of this name, if any. */
  public Optional<Command<?>> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Declares the commands of each domain given; a domain not given has no commands. */
  public static final class Builder {
    private final List<Command<?>> all = new ArrayList<>();
    private final List<HttpRoute> raw = new ArrayList<>();

    private Builder() {}

    private Command.Zoning zoning = Command.Zoning.SHARED;

    /** The player, queue and outputs commands of a daemon whose only zone is "default". */
    public Builder player(Player player) {
      return players(
          zone -> {
            if (!zone.equals(io.tonearm.daemon.events.ZoneId.DEFAULT)) {
              throw CommandRunner.notFound(zone);
            }
            return player;
          });
    }

    /**
     * {@code /api/v1/player}, {@code /api/v1/queue}, {@code /api/v1/outputs}, each acting on one
     * zone's player.
     *
     * @param players the player of an existing zone; throws 404 {@code zone_not_found} otherwise
     */
    public Builder players(java.util.function.Function<String, Player> players) {
      zoning = Command.Zoning.ZONE;
      PlayerCommands p = new PlayerCommands(players);
      get("player.state", "/api/v1/player", p::state);
      post(
          Scope.CONTROL,
          "player.play",
          "/api/v1/player/play",
          PlayRequest.getDefaultInstance(),
          p::play);
      post(Scope.CONTROL, "player.pause", "/api/v1/player/pause", NONE, p::pause);
      post(Scope.CONTROL, "player.toggle", "/api/v1/player/toggle", NONE, p::toggle);
      post(Scope.CONTROL, "player.stop", "/api/v1/player/stop", NONE, p::stop);
      post(Scope.CONTROL, "player.next", "/api/v1/player/next", NONE, p::next);
      post(Scope.CONTROL, "player.previous", "/api/v1/player/previous", NONE, p::previous);
      post(
          Scope.CONTROL,
          "player.seek",
          "/api/v1/player/seek",
          SeekRequest.getDefaultInstance(),
          p::seek);
      post(
          Scope.CONTROL,
          "player.volume",
          "/api/v1/player/volume",
          VolumeRequest.getDefaultInstance(),
          p::volume);
      ToggleRequest toggle = ToggleRequest.getDefaultInstance();
      post(Scope.CONTROL, "player.mute", "/api/v1/player/mute", toggle, p::mute);
      post(Scope.CONTROL, "player.shuffle", "/api/v1/player/shuffle", toggle, p::shuffle);
      post(Scope.CONTROL, "player.single", "/api/v1/player/single", toggle, p::single);
      post(Scope.CONTROL, "player.consume", "/api/v1/player/consume", toggle, p::consume);
      post(
          Scope.CONTROL,
          "player.repeat",
          "/api/v1/player/repeat",
          RepeatRequest.getDefaultInstance(),
          p::repeat);

      QueueAddRequest add = QueueAddRequest.getDefaultInstance();
      get("queue.get", "/api/v1/queue", p::queue);
      post(Scope.CONTROL, "queue.set", "/api/v1/queue", add, p::setQueue);
      post(Scope.CONTROL, "queue.append", "/api/v1/queue/append", add, p::append);
      post(Scope.CONTROL, "queue.insert", "/api/v1/queue/insert", add, p::insert);
      post(
          Scope.CONTROL,
          "queue.move",
          "/api/v1/queue/move",
          QueueMoveRequest.getDefaultInstance(),
          p::move);
      post(
          Scope.CONTROL,
          "queue.priority",
          "/api/v1/queue/priority",
          QueuePriorityRequest.getDefaultInstance(),
          p::priority);
      post(
          Scope.CONTROL,
          "queue.remove",
          "/api/v1/queue/remove",
          QueueRemoveRequest.getDefaultInstance(),
          p::remove);
      post(Scope.CONTROL, "queue.clear", "/api/v1/queue/clear", NONE, p::clear);

      get("outputs.get", "/api/v1/outputs", p::outputs);
      post(Scope.CONTROL, "outputs.enable", "/api/v1/outputs/{id}/enable", NONE, p::enableOutput);
      post(
          Scope.CONTROL, "outputs.disable", "/api/v1/outputs/{id}/disable", NONE, p::disableOutput);
      post(
          Scope.CONTROL,
          "outputs.replaygain",
          "/api/v1/outputs/replaygain",
          ReplayGainConfig.getDefaultInstance(),
          p::replayGain);
      zoning = Command.Zoning.SHARED;
      return this;
    }

    /**
     * {@code /api/v1/zones}: list (read, filtered by the token's zones), create and delete (admin).
     */
    public Builder zones(io.tonearm.daemon.zones.Zones zones) {
      return zones(zones, io.tonearm.daemon.events.Outbound.NONE);
    }

    /**
     * {@link #zones(io.tonearm.daemon.zones.Zones)}, where a zone's creation or removal is answered
     * once its event is {@code outbound} (the relays' Redis streams).
     */
    public Builder zones(
        io.tonearm.daemon.zones.Zones zones, io.tonearm.daemon.events.Outbound outbound) {
      ZoneCommands z = new ZoneCommands(zones, outbound);
      get("zones.list", "/api/v1/zones", z::list);
      add(
          new Command<>(
              "zones.create",
              "POST",
              "/api/v1/zones",
              io.tonearm.proto.v1.CreateZoneRequest.getDefaultInstance(),
              201,
              Scope.ADMIN,
              z::create));
      add(
          new Command<>(
              "zones.delete", "DELETE", "/api/v1/zones/{id}", NONE, 200, Scope.ADMIN, z::delete));
      return this;
    }

    /** The settings commands of a daemon whose only zone is "default". */
    public Builder settings(Settings settings) {
      return settings(onlyDefault(settings));
    }

    /**
     * {@code /api/v1/settings}: the enhancement chain, its presets, the reference, the crossfade
     * and ReplayGain, each zone's own; renders go through the zone's chain.
     *
     * @param zones the settings of an existing zone; throws 404 {@code zone_not_found} otherwise
     */
    public Builder settings(java.util.function.Function<String, Settings> zones) {
      SettingsCommands s = new SettingsCommands(zones);
      zoning = Command.Zoning.ZONE;
      get("settings.get", "/api/v1/settings", s::get);
      post(
          Scope.ADMIN,
          "settings.enhancement",
          "/api/v1/settings/enhancement",
          EnhancementConfig.getDefaultInstance(),
          s::enhancement);
      post(
          Scope.CONTROL, // a playback option, as shuffle and repeat
          "settings.crossfade",
          "/api/v1/settings/crossfade",
          CrossfadeConfig.getDefaultInstance(),
          s::crossfade);
      post(
          Scope.CONTROL, // the same setting as outputs.replaygain
          "settings.replay_gain",
          "/api/v1/settings/replay_gain",
          ReplayGainConfig.getDefaultInstance(),
          s::replayGain);
      post(
          Scope.ADMIN,
          "settings.reference",
          "/api/v1/settings/reference",
          ReferenceRequest.getDefaultInstance(),
          s::reference);
      post(
          Scope.LIBRARY, // a job that writes a file, as the library's analysis jobs
          "settings.render",
          "/api/v1/settings/render",
          RenderRequest.getDefaultInstance(),
          s::render);
      post(
          Scope.ADMIN,
          "settings.preset_save",
          "/api/v1/settings/presets",
          SavePresetRequest.getDefaultInstance(),
          s::savePreset);
      add(
          new Command<>(
              "settings.preset_delete",
              "DELETE",
              "/api/v1/settings/presets/{name}",
              NONE,
              200,
              Scope.ADMIN,
              s::deletePreset));
      post(Scope.ADMIN, "settings.reset", "/api/v1/settings/reset", NONE, s::reset);
      zoning = Command.Zoning.SHARED;
      return this;
    }

    /** The mixer commands of a daemon whose only zone is "default". */
    public Builder mixer(Mixer mixer) {
      return mixer(onlyDefault(mixer));
    }

    /**
     * {@code /api/v1/mixer}: vocal and instrumental volume, stem strips, each zone's own.
     *
     * @param zones the mixer of an existing zone; throws 404 {@code zone_not_found} otherwise
     */
    public Builder mixer(java.util.function.Function<String, Mixer> zones) {
      MixerCommands m = new MixerCommands(zones);
      zoning = Command.Zoning.ZONE;
      get("mixer.get", "/api/v1/mixer", m::get);
      post(
          Scope.CONTROL,
          "mixer.volumes",
          "/api/v1/mixer/volumes",
          MixerVolumesRequest.getDefaultInstance(),
          m::volumes);
      post(
          Scope.CONTROL,
          "mixer.stem",
          "/api/v1/mixer/stems/{name}",
          StemStripRequest.getDefaultInstance(),
          m::stem);
      post(Scope.CONTROL, "mixer.reset", "/api/v1/mixer/reset", NONE, m::reset);
      zoning = Command.Zoning.SHARED;
      return this;
    }

    /** The lyrics commands of a daemon whose only zone is "default". */
    public Builder lyrics(Lyrics lyrics) {
      return lyrics(onlyDefault(lyrics));
    }

    /**
     * {@code /api/v1/lyrics}: what a zone hears, the per-track offset (shared by zones, as the
     * library is) and the zone's presentation settings.
     *
     * @param zones the lyrics of an existing zone; throws 404 {@code zone_not_found} otherwise
     */
    public Builder lyrics(java.util.function.Function<String, Lyrics> zones) {
      LyricsCommands l = new LyricsCommands(zones);
      zoning = Command.Zoning.ZONE;
      get("lyrics.get", "/api/v1/lyrics", l::get);
      post(
          Scope.CONTROL,
          "lyrics.offset",
          "/api/v1/lyrics/offset",
          LyricsOffsetRequest.getDefaultInstance(),
          l::offset);
      post(
          Scope.CONTROL,
          "lyrics.presentation",
          "/api/v1/lyrics/presentation",
          LyricsPresentationRequest.getDefaultInstance(),
          l::presentation);
      zoning = Command.Zoning.SHARED;
      return this;
    }

    /** A zone lookup for a daemon whose only zone is "default": {@code owner} there, else 404. */
    private static <T> java.util.function.Function<String, T> onlyDefault(T owner) {
      return zone -> {
        if (!zone.equals(io.tonearm.daemon.events.ZoneId.DEFAULT)) {
          throw CommandRunner.notFound(zone);
        }
        return owner;
      };
    }

    /** {@code /api/v1/library}: browsing, search, folders, scans and artwork. */
    public Builder library(Browser browser) {
      LibraryCommands l = new LibraryCommands(browser);
      String base = "/api/v1/library";
      get("library.summary", base, l::summary);
      get("library.tracks", base + "/tracks", l::tracks);
      get("library.track", base + "/tracks/{id}", l::track);
      raw(
          Scope.READ,
          "library.track_artwork",
          "GET",
          base + "/tracks/{id}/artwork",
          l.artworkOf("tracks"));
      get("library.albums", base + "/albums", l::albums);
      raw(
          Scope.READ,
          "library.album_artwork",
          "GET",
          base + "/albums/{id}/artwork",
          l.artworkOf("albums"));
      raw(Scope.READ, "library.artwork", "GET", base + "/artwork/{id}", l.artworkById());
      get("library.artists", base + "/artists", l::artists);
      get("library.genres", base + "/genres", l::genres);
      get("library.search", base + "/search", l::search);
      get("library.errors", base + "/errors", l::errors);
      get("library.folders", base + "/folders", l::folders);
      get("library.directory", base + "/folders/{id}/dirs", l::directory);
      add(
          new Command<>(
              "library.add_folder",
              "POST",
              base + "/folders",
              AddFolderRequest.getDefaultInstance(),
              201,
              Scope.LIBRARY,
              l::addFolder));
      add(
          new Command<>(
              "library.remove_folder",
              "DELETE",
              base + "/folders/{id}",
              NONE,
              200,
              Scope.LIBRARY,
              l::removeFolder));
      add(
          new Command<>(
              "library.scan",
              "POST",
              base + "/scan",
              ScanRequest.getDefaultInstance(),
              202,
              Scope.LIBRARY,
              l::scan));
      return this;
    }

    /** Loudness analysis and waveform overviews of library tracks. */
    public Builder trackAnalysis(TrackAnalysis analysis) {
      AnalysisCommands a = new AnalysisCommands(analysis);
      add(
          new Command<>(
              "library.analyze",
              "POST",
              "/api/v1/library/analyze",
              AnalyzeRequest.getDefaultInstance(),
              202,
              Scope.LIBRARY,
              a::analyze));
      get("library.loudness", "/api/v1/library/tracks/{id}/loudness", a::loudness);
      raw(
          Scope.READ,
          "library.waveform",
          "GET",
          "/api/v1/library/tracks/{id}/waveform",
          a.waveform());
      return this;
    }

    /** The live analysis of what the default zone plays (a daemon whose only zone is that). */
    public Builder meters(AnalysisTap tap) {
      return meters(
          zone -> {
            if (!zone.equals(io.tonearm.daemon.events.ZoneId.DEFAULT)) {
              throw CommandRunner.notFound(zone);
            }
            return tap;
          });
    }

    /** The live analysis of what each zone plays. */
    public Builder meters(java.util.function.Function<String, AnalysisTap> taps) {
      zoning = Command.Zoning.ZONE;
      post(
          Scope.CONTROL,
          "analysis.reset_meters",
          "/api/v1/analysis/meters/reset",
          NONE,
          c -> {
            taps.apply(c.zone()).resetMeters();
            return java.util.concurrent.CompletableFuture.completedFuture(NONE);
          });
      zoning = Command.Zoning.SHARED;
      return this;
    }

    /** {@code /api/v1/playlists}. */
    public Builder playlists(Playlists playlists) {
      PlaylistCommands p = new PlaylistCommands(playlists);
      String base = "/api/v1/playlists";
      get("playlists.list", base, p::list);
      add(
          new Command<>(
              "playlists.create",
              "POST",
              base,
              CreatePlaylistRequest.getDefaultInstance(),
              201,
              Scope.LIBRARY,
              p::create));
      raw(Scope.LIBRARY, "playlists.import", "POST", base + "/import", p.importM3u());
      get("playlists.get", base + "/{id}", p::get);
      add(
          new Command<>(
              "playlists.rename",
              "PUT",
              base + "/{id}",
              RenamePlaylistRequest.getDefaultInstance(),
              200,
              Scope.LIBRARY,
              p::rename));
      add(
          new Command<>(
              "playlists.delete", "DELETE", base + "/{id}", NONE, 200, Scope.LIBRARY, p::delete));
      post(
          Scope.LIBRARY,
          "playlists.add",
          base + "/{id}/items",
          AddPlaylistItemsRequest.getDefaultInstance(),
          p::add);
      add(
          new Command<>(
              "playlists.clear",
              "DELETE",
              base + "/{id}/items",
              NONE,
              200,
              Scope.LIBRARY,
              p::clear));
      post(
          Scope.LIBRARY,
          "playlists.remove",
          base + "/{id}/items/remove",
          RemovePlaylistItemsRequest.getDefaultInstance(),
          p::remove);
      post(
          Scope.LIBRARY,
          "playlists.move",
          base + "/{id}/items/move",
          MovePlaylistItemRequest.getDefaultInstance(),
          p::move);
      raw(Scope.READ, "playlists.export", "GET", base + "/{id}/m3u", p.exportM3u());
      return this;
    }

    /**
     * {@code /api/v1/tokens} (admin) and {@code /api/v1/auth/ticket} (read).
     *
     * @param closeSockets closes a token's open sockets and says how many
     * @param io the one thread that writes the token file
     */
    public Builder access(
        Access access, ToIntFunction<String> closeSockets, Executor io, LongSupplier millis) {
      AccessCommands a = new AccessCommands(access, closeSockets, io, millis);
      add(new Command<>("tokens.list", "GET", "/api/v1/tokens", NONE, 200, Scope.ADMIN, a::list));
      add(
          new Command<>(
              "tokens.create",
              "POST",
              "/api/v1/tokens",
              CreateTokenRequest.getDefaultInstance(),
              201,
              Scope.ADMIN,
              a::create));
      add(
          new Command<>(
              "tokens.revoke", "DELETE", "/api/v1/tokens/{id}", NONE, 200, Scope.ADMIN, a::revoke));
      post(Scope.READ, "auth.ticket", "/api/v1/auth/ticket", NONE, a::ticket);
      return this;
    }

    /** {@code /api/v1/jobs}. */
    public Builder jobs(Jobs jobs) {
      JobCommands j = new JobCommands(jobs);
      get("jobs.list", "/api/v1/jobs", j::list);
      get("jobs.get", "/api/v1/jobs/{id}", j::get);
      post(Scope.LIBRARY, "jobs.cancel", "/api/v1/jobs/{id}/cancel", NONE, j::cancel);
      return this;
    }

    public CommandTable build() {
      return new CommandTable(all, raw);
    }

    /** Adds the command, acting on a zone when the domain being declared is zoned. */
    private <Q extends Message> void add(Command<Q> c) {
      all.add(
          new Command<>(
              c.name(),
              c.method(),
              c.path(),
              c.request(),
              c.status(),
              c.scope(),
              c.handler(),
              zoning));
    }

    /** A query: every GET needs {@link Scope#READ}. */
    private void get(String name, String path, Command.Handler<Empty> h) {
      add(new Command<>(name, "GET", path, NONE, 200, Scope.READ, h));
    }

    private <Q extends Message> void post(
        Scope scope, String name, String path, Q request, Command.Handler<Q> h) {
      add(new Command<>(name, "POST", path, request, 200, scope, h));
    }

    /** {@code PUT /api/v1/library/uploads/{name}}: a file uploaded into the library. */
    public Builder uploads(Uploads uploads) {
      raw(
          Scope.LIBRARY,
          "library.upload",
          "PUT",
          "/api/v1/library/uploads/{name}",
          req ->
              uploads
                  .place(req.header(Uploads.SPOOL_HEADER), req.param("name"), req.client())
                  .thenApply(r -> new ApiResponse.Proto(201, r)));
      return this;
    }

    private void raw(Scope scope, String name, String method, String path, ApiHandler h) {
      raw.add(new HttpRoute(name, method, path, scope, h));
    }
  }
}
