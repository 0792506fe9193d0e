package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.tonearm.daemon.analysis.AnalysisTap;
import io.tonearm.daemon.api.ApiHandler;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.Browser;
import io.tonearm.daemon.library.TrackAnalysis;
import io.tonearm.daemon.mixer.Mixer;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.playlists.Playlists;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.AddFolderRequest;
import io.tonearm.proto.v1.AddPlaylistItemsRequest;
import io.tonearm.proto.v1.AnalyzeRequest;
import io.tonearm.proto.v1.CreatePlaylistRequest;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.MovePlaylistItemRequest;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.RemovePlaylistItemsRequest;
import io.tonearm.proto.v1.RenamePlaylistRequest;
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
  public record HttpRoute(String name, String method, String path, ApiHandler handler) {}

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

    /** {@code /api/v1/player}, {@code /api/v1/queue}, {@code /api/v1/outputs}. */
    public Builder player(Player player) {
      PlayerCommands p = new PlayerCommands(player);
      get("player.state", "/api/v1/player", p::state);
      post("player.play", "/api/v1/player/play", PlayRequest.getDefaultInstance(), p::play);
      post("player.pause", "/api/v1/player/pause", NONE, p::pause);
      post("player.toggle", "/api/v1/player/toggle", NONE, p::toggle);
      post("player.stop", "/api/v1/player/stop", NONE, p::stop);
      post("player.next", "/api/v1/player/next", NONE, p::next);
      post("player.previous", "/api/v1/player/previous", NONE, p::previous);
      post("player.seek", "/api/v1/player/seek", SeekRequest.getDefaultInstance(), p::seek);
      post("player.volume", "/api/v1/player/volume", VolumeRequest.getDefaultInstance(), p::volume);
      ToggleRequest toggle = ToggleRequest.getDefaultInstance();
      post("player.mute", "/api/v1/player/mute", toggle, p::mute);
      post("player.shuffle", "/api/v1/player/shuffle", toggle, p::shuffle);
      post("player.single", "/api/v1/player/single", toggle, p::single);
      post("player.consume", "/api/v1/player/consume", toggle, p::consume);
      post("player.repeat", "/api/v1/player/repeat", RepeatRequest.getDefaultInstance(), p::repeat);

      QueueAddRequest add = QueueAddRequest.getDefaultInstance();
      get("queue.get", "/api/v1/queue", p::queue);
      post("queue.set", "/api/v1/queue", add, p::setQueue);
      post("queue.append", "/api/v1/queue/append", add, p::append);
      post("queue.insert", "/api/v1/queue/insert", add, p::insert);
      post("queue.move", "/api/v1/queue/move", QueueMoveRequest.getDefaultInstance(), p::move);
      post(
          "queue.remove",
          "/api/v1/queue/remove",
          QueueRemoveRequest.getDefaultInstance(),
          p::remove);
      post("queue.clear", "/api/v1/queue/clear", NONE, p::clear);

      get("outputs.get", "/api/v1/outputs", p::outputs);
      post("outputs.enable", "/api/v1/outputs/{id}/enable", NONE, p::enableOutput);
      post("outputs.disable", "/api/v1/outputs/{id}/disable", NONE, p::disableOutput);
      post(
          "outputs.replaygain",
          "/api/v1/outputs/replaygain",
          ReplayGainConfig.getDefaultInstance(),
          p::replayGain);
      return this;
    }

    /** {@code /api/v1/settings}: the enhancement chain and its presets. */
    public Builder settings(Settings settings) {
      SettingsCommands s = new SettingsCommands(settings);
      get("settings.get", "/api/v1/settings", s::get);
      post(
          "settings.enhancement",
          "/api/v1/settings/enhancement",
          EnhancementConfig.getDefaultInstance(),
          s::enhancement);
      post(
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
              s::deletePreset));
      post("settings.reset", "/api/v1/settings/reset", NONE, s::reset);
      return this;
    }

    /** {@code /api/v1/mixer}: vocal and instrumental volume, stem strips. */
    public Builder mixer(Mixer mixer) {
      MixerCommands m = new MixerCommands(mixer);
      get("mixer.get", "/api/v1/mixer", m::get);
      post(
          "mixer.volumes",
          "/api/v1/mixer/volumes",
          MixerVolumesRequest.getDefaultInstance(),
          m::volumes);
      post(
          "mixer.stem",
          "/api/v1/mixer/stems/{name}",
          StemStripRequest.getDefaultInstance(),
          m::stem);
      post("mixer.reset", "/api/v1/mixer/reset", NONE, m::reset);
      return this;
    }

    /** {@code /api/v1/library}: browsing, search, folders, scans and artwork. */
    public Builder library(Browser browser) {
      LibraryCommands l = new LibraryCommands(browser);
      String base = "/api/v1/library";
      get("library.summary", base, l::summary);
      get("library.tracks", base + "/tracks", l::tracks);
      get("library.track", base + "/tracks/{id}", l::track);
      raw("library.track_artwork", "GET", base + "/tracks/{id}/artwork", l.artworkOf("tracks"));
      get("library.albums", base + "/albums", l::albums);
      raw("library.album_artwork", "GET", base + "/albums/{id}/artwork", l.artworkOf("albums"));
      raw("library.artwork", "GET", base + "/artwork/{id}", l.artworkById());
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
              l::addFolder));
      add(
          new Command<>(
              "library.remove_folder",
              "DELETE",
              base + "/folders/{id}",
              NONE,
              200,
              l::removeFolder));
      add(
          new Command<>(
              "library.scan",
              "POST",
              base + "/scan",
              ScanRequest.getDefaultInstance(),
              202,
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
              a::analyze));
      get("library.loudness", "/api/v1/library/tracks/{id}/loudness", a::loudness);
      raw("library.waveform", "GET", "/api/v1/library/tracks/{id}/waveform", a.waveform());
      return this;
    }

    /** The live analysis of what plays. */
    public Builder meters(AnalysisTap tap) {
      post(
          "analysis.reset_meters",
          "/api/v1/analysis/meters/reset",
          NONE,
          c -> {
            tap.resetMeters();
            return java.util.concurrent.CompletableFuture.completedFuture(NONE);
          });
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
              p::create));
      raw("playlists.import", "POST", base + "/import", p.importM3u());
      get("playlists.get", base + "/{id}", p::get);
      add(
          new Command<>(
              "playlists.rename",
              "PUT",
              base + "/{id}",
              RenamePlaylistRequest.getDefaultInstance(),
              200,
              p::rename));
      add(new Command<>("playlists.delete", "DELETE", base + "/{id}", NONE, 200, p::delete));
      post(
          "playlists.add",
          base + "/{id}/items",
          AddPlaylistItemsRequest.getDefaultInstance(),
          p::add);
      add(new Command<>("playlists.clear", "DELETE", base + "/{id}/items", NONE, 200, p::clear));
      post(
          "playlists.remove",
          base + "/{id}/items/remove",
          RemovePlaylistItemsRequest.getDefaultInstance(),
          p::remove);
      post(
          "playlists.move",
          base + "/{id}/items/move",
          MovePlaylistItemRequest.getDefaultInstance(),
          p::move);
      raw("playlists.export", "GET", base + "/{id}/m3u", p.exportM3u());
      return this;
    }

    /** {@code /api/v1/jobs}. */
    public Builder jobs(Jobs jobs) {
      JobCommands j = new JobCommands(jobs);
      get("jobs.list", "/api/v1/jobs", j::list);
      get("jobs.get", "/api/v1/jobs/{id}", j::get);
      post("jobs.cancel", "/api/v1/jobs/{id}/cancel", NONE, j::cancel);
      return this;
    }

    public CommandTable build() {
      return new CommandTable(all, raw);
    }

    private void add(Command<?> c) {
      all.add(c);
    }

    private void get(String name, String path, Command.Handler<Empty> h) {
      all.add(new Command<>(name, "GET", path, NONE, 200, h));
    }

    private <Q extends Message> void post(
        String name, String path, Q request, Command.Handler<Q> h) {
      all.add(new Command<>(name, "POST", path, request, 200, h));
    }

    private void raw(String name, String method, String path, ApiHandler h) {
      raw.add(new HttpRoute(name, method, path, h));
    }
  }
}
