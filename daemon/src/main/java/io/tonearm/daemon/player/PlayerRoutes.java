package io.tonearm.daemon.player;

import io.tonearm.daemon.api.ApiException;
import io.tonearm.daemon.api.ApiRequest;
import io.tonearm.daemon.api.ApiResponse;
import io.tonearm.daemon.api.Router;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputsReply;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.ToggleRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The player's HTTP routes under {@code /api/v1/player}, {@code /api/v1/queue} and {@code
 * /api/v1/outputs}. Handlers parse the body on the event loop (a malformed one is a 400 before
 * anything happens) and hand the command to the player thread.
 */
final class PlayerRoutes {

  private final Player player;

  PlayerRoutes(Player player) {
    this.player = player;
  }

  void register(Router r) {
    r.get("/api/v1/player", req -> reply(player.state()));
    r.post(
        "/api/v1/player/play",
        req -> {
          PlayRequest p = req.parse(PlayRequest.newBuilder()).build();
          return reply(player.play(p.getItemId(), origin(req, "player.play")));
        });
    r.post("/api/v1/player/pause", req -> reply(player.pause(origin(req, "player.pause"))));
    r.post("/api/v1/player/toggle", req -> reply(player.toggle(origin(req, "player.toggle"))));
    r.post("/api/v1/player/stop", req -> reply(player.stop(origin(req, "player.stop"))));
    r.post("/api/v1/player/next", req -> reply(player.next(origin(req, "player.next"))));
    r.post(
        "/api/v1/player/previous", req -> reply(player.previous(origin(req, "player.previous"))));
    r.post(
        "/api/v1/player/seek",
        req -> {
          SeekRequest s = req.parse(SeekRequest.newBuilder()).build();
          return reply(player.seek(s.getPositionMs(), origin(req, "player.seek")));
        });
    r.post(
        "/api/v1/player/volume",
        req -> {
          VolumeRequest v = req.parse(VolumeRequest.newBuilder()).build();
          return reply(player.volume(v.getVolume(), origin(req, "player.volume")));
        });
    toggle(r, "mute", player::mute);
    toggle(r, "shuffle", player::shuffle);
    toggle(r, "single", player::single);
    toggle(r, "consume", player::consume);
    r.post(
        "/api/v1/player/repeat",
        req -> {
          RepeatRequest m = req.parse(RepeatRequest.newBuilder()).build();
          if (m.getModeValue() < 0 || m.getModeValue() > 2) {
            throw ApiException.outOfRange("mode", m.getModeValue(), "REPEAT_MODE_NONE/ONE/ALL");
          }
          return reply(player.repeat(m.getMode(), origin(req, "player.repeat")));
        });

    r.get("/api/v1/queue", req -> queue(player.queue()));
    r.post(
        "/api/v1/queue",
        req -> {
          QueueAddRequest a = add(req, false);
          return queue(
              player.setQueue(a.getPathsList(), a.getTrackIdsList(), origin(req, "queue.set")));
        });
    r.post(
        "/api/v1/queue/append",
        req -> {
          QueueAddRequest a = add(req, false);
          return queue(
              player.append(a.getPathsList(), a.getTrackIdsList(), origin(req, "queue.append")));
        });
    r.post(
        "/api/v1/queue/insert",
        req -> {
          QueueAddRequest a = add(req, true);
          return queue(
              player.insert(
                  a.getIndex(),
                  a.getPathsList(),
                  a.getTrackIdsList(),
                  origin(req, "queue.insert")));
        });
    r.post(
        "/api/v1/queue/move",
        req -> {
          QueueMoveRequest m = req.parse(QueueMoveRequest.newBuilder()).build();
          if (m.getItemId().isEmpty()) {
            throw ApiException.badRequest("item_id is required");
          }
          return queue(player.move(m.getItemId(), m.getToIndex(), origin(req, "queue.move")));
        });
    r.post(
        "/api/v1/queue/remove",
        req -> {
          QueueRemoveRequest m = req.parse(QueueRemoveRequest.newBuilder()).build();
          return queue(player.remove(m.getItemIdsList(), origin(req, "queue.remove")));
        });
    r.post("/api/v1/queue/clear", req -> queue(player.clear(origin(req, "queue.clear"))));

    r.get("/api/v1/outputs", req -> outputs(player.outputsState()));
    r.post(
        "/api/v1/outputs/{id}/enable",
        req -> outputs(player.enableOutput(req.param("id"), true, origin(req, "outputs.enable"))));
    r.post(
        "/api/v1/outputs/{id}/disable",
        req ->
            outputs(player.enableOutput(req.param("id"), false, origin(req, "outputs.disable"))));
    r.post(
        "/api/v1/outputs/replaygain",
        req -> {
          ReplayGainConfig c = req.parse(ReplayGainConfig.newBuilder()).build();
          return outputs(player.replayGain(c, origin(req, "outputs.replaygain")));
        });
  }

  private void toggle(
      Router r, String name, BiFunction<Boolean, Origin, CompletionStage<PlayerReply>> command) {
    r.post(
        "/api/v1/player/" + name,
        req -> {
          ToggleRequest t = req.parse(ToggleRequest.newBuilder()).build();
          return reply(command.apply(t.getEnabled(), origin(req, "player." + name)));
        });
  }

  private static QueueAddRequest add(ApiRequest req, boolean needsIndex) {
    QueueAddRequest a = req.parse(QueueAddRequest.newBuilder()).build();
    if (needsIndex && !a.hasIndex()) {
      throw ApiException.badRequest("index is required");
    }
    if (a.getPathsCount() + a.getTrackIdsCount() == 0 && needsIndex) {
      throw ApiException.badRequest("paths or track_ids required");
    }
    return a;
  }

  private static Origin origin(ApiRequest req, String command) {
    return Origin.newBuilder().setClient(req.client()).setCommand(command).build();
  }

  private static CompletionStage<ApiResponse> reply(CompletionStage<PlayerReply> r) {
    return r.thenApply(ApiResponse::ok);
  }

  private static CompletionStage<ApiResponse> outputs(CompletionStage<OutputsReply> r) {
    return r.thenApply(ApiResponse::ok);
  }

  private static CompletionStage<ApiResponse> queue(CompletionStage<QueueReply> r) {
    return r.thenApply(ApiResponse::ok);
  }
}
