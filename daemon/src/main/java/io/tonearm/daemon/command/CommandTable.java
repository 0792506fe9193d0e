package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.tonearm.daemon.player.Player;
import io.tonearm.daemon.settings.Settings;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SavePresetRequest;
import io.tonearm.proto.v1.SeekRequest;
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
 * ({@link HttpCommands}); the socket looks commands up by name. Built once at start, then read-only
 * and shared by every thread.
 */
public final class CommandTable {

  private static final Empty NONE = Empty.getDefaultInstance();

  private final Map<String, Command<?>> byName = new LinkedHashMap<>();

  private CommandTable(List<Command<?>> commands) {
    for (Command<?> c : commands) {
      if (byName.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException("command declared twice: " + c.name());
      }
    }
  }

  /** The table over the daemon's domains. */
  public static CommandTable of(Player player, Settings settings) {
    PlayerCommands p = new PlayerCommands(player);
    SettingsCommands s = new SettingsCommands(settings);
    List<Command<?>> all = new ArrayList<>();

    all.add(get("player.state", "/api/v1/player", p::state));
    all.add(post("player.play", "/api/v1/player/play", PlayRequest.getDefaultInstance(), p::play));
    all.add(post("player.pause", "/api/v1/player/pause", NONE, p::pause));
    all.add(post("player.toggle", "/api/v1/player/toggle", NONE, p::toggle));
    all.add(post("player.stop", "/api/v1/player/stop", NONE, p::stop));
    all.add(post("player.next", "/api/v1/player/next", NONE, p::next));
    all.add(post("player.previous", "/api/v1/player/previous", NONE, p::previous));
    all.add(post("player.seek", "/api/v1/player/seek", SeekRequest.getDefaultInstance(), p::seek));
    all.add(
        post(
            "player.volume",
            "/api/v1/player/volume",
            VolumeRequest.getDefaultInstance(),
            p::volume));
    ToggleRequest toggle = ToggleRequest.getDefaultInstance();
    all.add(post("player.mute", "/api/v1/player/mute", toggle, p::mute));
    all.add(post("player.shuffle", "/api/v1/player/shuffle", toggle, p::shuffle));
    all.add(post("player.single", "/api/v1/player/single", toggle, p::single));
    all.add(post("player.consume", "/api/v1/player/consume", toggle, p::consume));
    all.add(
        post(
            "player.repeat",
            "/api/v1/player/repeat",
            RepeatRequest.getDefaultInstance(),
            p::repeat));

    QueueAddRequest add = QueueAddRequest.getDefaultInstance();
    all.add(get("queue.get", "/api/v1/queue", p::queue));
    all.add(post("queue.set", "/api/v1/queue", add, p::setQueue));
    all.add(post("queue.append", "/api/v1/queue/append", add, p::append));
    all.add(post("queue.insert", "/api/v1/queue/insert", add, p::insert));
    all.add(
        post("queue.move", "/api/v1/queue/move", QueueMoveRequest.getDefaultInstance(), p::move));
    all.add(
        post(
            "queue.remove",
            "/api/v1/queue/remove",
            QueueRemoveRequest.getDefaultInstance(),
            p::remove));
    all.add(post("queue.clear", "/api/v1/queue/clear", NONE, p::clear));

    all.add(get("outputs.get", "/api/v1/outputs", p::outputs));
    all.add(post("outputs.enable", "/api/v1/outputs/{id}/enable", NONE, p::enableOutput));
    all.add(post("outputs.disable", "/api/v1/outputs/{id}/disable", NONE, p::disableOutput));
    all.add(
        post(
            "outputs.replaygain",
            "/api/v1/outputs/replaygain",
            ReplayGainConfig.getDefaultInstance(),
            p::replayGain));

    all.add(get("settings.get", "/api/v1/settings", s::get));
    all.add(
        post(
            "settings.enhancement",
            "/api/v1/settings/enhancement",
            EnhancementConfig.getDefaultInstance(),
            s::enhancement));
    all.add(
        post(
            "settings.preset_save",
            "/api/v1/settings/presets",
            SavePresetRequest.getDefaultInstance(),
            s::savePreset));
    all.add(
        new Command<>(
            "settings.preset_delete",
            "DELETE",
            "/api/v1/settings/presets/{name}",
            NONE,
            200,
            s::deletePreset));
    all.add(post("settings.reset", "/api/v1/settings/reset", NONE, s::reset));
    return new CommandTable(all);
  }

  /** Every command, in declaration order. */
  public List<Command<?>> commands() {
    return List.copyOf(byName.values());
  }

  /** The command of this name, if any. */
  public Optional<Command<?>> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  private static Command<Empty> get(String name, String path, Command.Handler<Empty> h) {
    return new Command<>(name, "GET", path, NONE, 200, h);
  }

  private static <Q extends Message> Command<Q> post(
      String name, String path, Q request, Command.Handler<Q> h) {
    return new Command<>(name, "POST", path, request, 200, h);
  }
}
