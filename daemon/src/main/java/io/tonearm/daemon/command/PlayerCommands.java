package io.tonearm.daemon.command;

import com.google.protobuf.Empty;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.player.Player;
import io.tonearm.proto.v1.OutputsReply;
import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.QueueAddRequest;
import io.tonearm.proto.v1.QueueMoveRequest;
import io.tonearm.proto.v1.QueuePriorityRequest;
import io.tonearm.proto.v1.QueueRemoveRequest;
import io.tonearm.proto.v1.QueueReply;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.ToggleRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Handlers of the player, queue and outputs commands: each checks what the request message cannot
 * say by its type, then hands the command to the {@link Player} (which applies it on its thread).
 */
final class PlayerCommands {

  private final Function<String, Player> players;

  /**
   * @param players the player of a zone that exists (resolved and checked by the runner); throws
   *     404 {@code zone_not_found} for one that was removed since
   */
  PlayerCommands(Function<String, Player> players) {
    this.players = players;
  }

  private Player player(Call<?> c) {
    return players.apply(c.zone());
  }

  CompletionStage<PlayerReply> state(Call<Empty> c) {
    return player(c).state();
  }

  CompletionStage<PlayerReply> play(Call<PlayRequest> c) {
    return player(c).play(c.request().getItemId(), c.origin());
  }

  CompletionStage<PlayerReply> pause(Call<Empty> c) {
    return player(c).pause(c.origin());
  }

  CompletionStage<PlayerReply> toggle(Call<Empty> c) {
    return player(c).toggle(c.origin());
  }

  CompletionStage<PlayerReply> stop(Call<Empty> c) {
    return player(c).stop(c.origin());
  }

  CompletionStage<PlayerReply> next(Call<Empty> c) {
    return player(c).next(c.origin());
  }

  CompletionStage<PlayerReply> previous(Call<Empty> c) {
    return player(c).previous(c.origin());
  }

  CompletionStage<PlayerReply> seek(Call<SeekRequest> c) {
    return player(c).seek(c.request().getPositionMs(), c.origin());
  }

  CompletionStage<PlayerReply> volume(Call<VolumeRequest> c) {
    return player(c).volume(c.request().getVolume(), c.origin());
  }

  CompletionStage<PlayerReply> mute(Call<ToggleRequest> c) {
    return player(c).mute(noOneshot(c.request()), c.origin());
  }

  CompletionStage<PlayerReply> shuffle(Call<ToggleRequest> c) {
    return player(c).shuffle(noOneshot(c.request()), c.origin());
  }

  CompletionStage<PlayerReply> single(Call<ToggleRequest> c) {
    return player(c).single(c.request().getEnabled(), c.request().getOneshot(), c.origin());
  }

  CompletionStage<PlayerReply> consume(Call<ToggleRequest> c) {
    return player(c).consume(c.request().getEnabled(), c.request().getOneshot(), c.origin());
  }

  /** The value of a toggle that has no one-item form. */
  private static boolean noOneshot(ToggleRequest r) {
    if (r.getOneshot()) {
      throw DomainException.outOfRange("oneshot", true, "false (only single and consume have it)");
    }
    return r.getEnabled();
  }

  CompletionStage<PlayerReply> repeat(Call<RepeatRequest> c) {
    RepeatRequest m = c.request();
    if (m.getModeValue() < 0 || m.getModeValue() > 2) {
      throw DomainException.outOfRange("mode", m.getModeValue(), "REPEAT_MODE_NONE/ONE/ALL");
    }
    return player(c).repeat(m.getMode(), c.origin());
  }

  CompletionStage<QueueReply> queue(Call<Empty> c) {
    return player(c).queue();
  }

  CompletionStage<QueueReply> setQueue(Call<QueueAddRequest> c) {
    QueueAddRequest a = c.request();
    return player(c).setQueue(a.getPathsList(), a.getTrackIdsList(), c.origin());
  }

  CompletionStage<QueueReply> append(Call<QueueAddRequest> c) {
    QueueAddRequest a = c.request();
    return player(c).append(a.getPathsList(), a.getTrackIdsList(), c.origin());
  }

  CompletionStage<QueueReply> insert(Call<QueueAddRequest> c) {
    QueueAddRequest a = c.request();
    if (!a.hasIndex()) {
      throw DomainException.badRequest("index is required");
    }
    if (a.getPathsCount() + a.getTrackIdsCount() == 0) {
      throw DomainException.badRequest("paths or track_ids required");
    }
    return player(c).insert(a.getIndex(), a.getPathsList(), a.getTrackIdsList(), c.origin());
  }

  CompletionStage<QueueReply> move(Call<QueueMoveRequest> c) {
    QueueMoveRequest m = c.request();
    if (m.getItemId().isEmpty()) {
      throw DomainException.badRequest("item_id is required");
    }
    return player(c).move(m.getItemId(), m.getToIndex(), c.origin());
  }

  CompletionStage<QueueReply> priority(Call<QueuePriorityRequest> c) {
    QueuePriorityRequest r = c.request();
    if (r.getPriority() < 0) { // a uint32 past int's range
      throw DomainException.outOfRange(
          "priority", Integer.toUnsignedString(r.getPriority()), "0 to 255");
    }
    return player(c).priority(r.getItemIdsList(), r.getPriority(), c.origin());
  }

  CompletionStage<QueueReply> remove(Call<QueueRemoveRequest> c) {
    return player(c).remove(c.request().getItemIdsList(), c.origin());
  }

  CompletionStage<QueueReply> clear(Call<Empty> c) {
    return player(c).clear(c.origin());
  }

  CompletionStage<OutputsReply> outputs(Call<Empty> c) {
    return player(c).outputsState();
  }

  CompletionStage<OutputsReply> enableOutput(Call<Empty> c) {
    return player(c).enableOutput(c.param("id"), true, c.origin());
  }

  CompletionStage<OutputsReply> disableOutput(Call<Empty> c) {
    return player(c).enableOutput(c.param("id"), false, c.origin());
  }

  CompletionStage<OutputsReply> replayGain(Call<ReplayGainConfig> c) {
    return player(c).replayGain(c.request(), c.origin());
  }
}
