package io.tonearm.client;

import io.tonearm.proto.v1.PlayRequest;
import io.tonearm.proto.v1.PlayerReply;
import io.tonearm.proto.v1.PlayerState;
import io.tonearm.proto.v1.RepeatMode;
import io.tonearm.proto.v1.RepeatRequest;
import io.tonearm.proto.v1.SeekRequest;
import io.tonearm.proto.v1.ToggleRequest;
import io.tonearm.proto.v1.VolumeRequest;
import java.util.Map;
import java.util.Objects;

/**
 * The player's commands and its state ({@code /api/v1/player}). Every command answers the new state
 * and the seq of the event it caused. Immutable and thread-safe; get it from {@link
 * TonearmClient#player()}.
 */
public final class PlayerCalls {

  private static final String BASE = "/api/v1/player";
  private final Requests r;

  PlayerCalls(Requests r) {
    this.r = r;
  }

  /** The current state, with the seq it is current as of. */
  public Call<PlayerReply> state() {
    return r.command("player.state", Map.of(), "GET", BASE, null, PlayerReply.parser());
  }

  /** Plays (or resumes) the current item; 409 {@code conflict} on an empty queue. */
  public Call<PlayerReply> play() {
    return command("play", PlayRequest.getDefaultInstance());
  }

  /** Plays the queue item with this id; 404 {@code not_found} for an unknown item. */
  public Call<PlayerReply> play(String itemId) {
    return command(
        "play", PlayRequest.newBuilder().setItemId(Requests.id("itemId", itemId)).build());
  }

  public Call<PlayerReply> pause() {
    return command("pause", null);
  }

  /** Pauses when playing, plays otherwise. */
  public Call<PlayerReply> toggle() {
    return command("toggle", null);
  }

  public Call<PlayerReply> stop() {
    return command("stop", null);
  }

  public Call<PlayerReply> next() {
    return command("next", null);
  }

  public Call<PlayerReply> previous() {
    return command("previous", null);
  }

  /**
   * Seeks within the current item; 409 when stopped, 422 {@code out_of_range} outside 0..duration.
   *
   * @param positionMs milliseconds from the item's start, 0 or more
   */
  public Call<PlayerReply> seek(long positionMs) {
    if (positionMs < 0) {
      throw new IllegalArgumentException("positionMs must not be negative: " + positionMs);
    }
    return command("seek", SeekRequest.newBuilder().setPositionMs(positionMs).build());
  }

  /**
   * @param volume 0 to 100
   */
  public Call<PlayerReply> volume(int volume) {
    Requests.range("volume", volume, 0, 100);
    return command("volume", VolumeRequest.newBuilder().setVolume(volume).build());
  }

  public Call<PlayerReply> mute(boolean muted) {
    return toggle("mute", muted);
  }

  public Call<PlayerReply> shuffle(boolean enabled) {
    return toggle("shuffle", enabled);
  }

  public Call<PlayerReply> single(boolean enabled) {
    return toggle("single", enabled);
  }

  public Call<PlayerReply> consume(boolean enabled) {
    return toggle("consume", enabled);
  }

  /**
   * Single for the current item only (MPD's "oneshot"): playback stops at its end and single goes
   * off by itself; {@link PlayerState#getSingleOneshot()} says so meanwhile.
   */
  public Call<PlayerReply> singleOneshot() {
    return command("single", ToggleRequest.newBuilder().setEnabled(true).setOneshot(true).build());
  }

  /**
   * Consume for one item only (MPD 0.24's "oneshot"): the next played item is removed and consume
   * goes off by itself; {@link PlayerState#getConsumeOneshot()} says so meanwhile.
   */
  public Call<PlayerReply> consumeOneshot() {
    return command("consume", ToggleRequest.newBuilder().setEnabled(true).setOneshot(true).build());
  }

  public Call<PlayerReply> repeat(RepeatMode mode) {
    Objects.requireNonNull(mode, "mode");
    if (mode == RepeatMode.UNRECOGNIZED) {
      throw new IllegalArgumentException("unknown repeat mode");
    }
    return command("repeat", RepeatRequest.newBuilder().setMode(mode).build());
  }

  private Call<PlayerReply> toggle(String name, boolean enabled) {
    return command(name, ToggleRequest.newBuilder().setEnabled(enabled).build());
  }

  private Call<PlayerReply> command(String name, com.google.protobuf.Message body) {
    return r.command(
        "player." + name, Map.of(), "POST", BASE + "/" + name, body, PlayerReply.parser());
  }
}
