package io.tonearm.daemon.player;

import io.tonearm.daemon.audio.AudioEngine;
import io.tonearm.daemon.dsp.ReplayGainMode;
import io.tonearm.daemon.dsp.ReplayGainSettings;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.output.Output;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputInfo;
import io.tonearm.proto.v1.OutputsState;
import io.tonearm.proto.v1.ReplayGainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The output chain's commands: enable and disable outputs, ReplayGain settings, and output failures
 * reported by the engine. Each change publishes one OutputsChanged. Player thread only.
 */
final class OutputCommands {

  private final List<Output> outputs;
  private final boolean[] enabled;
  private final String[] errors;
  private final AudioEngine engine;
  private final Playback playback;
  private final StatePublisher publisher;
  private OutputsState published; // the state of the last OutputsChanged, null before the first

  OutputCommands(
      List<Output> outputs, AudioEngine engine, Playback playback, StatePublisher publisher) {
    this.outputs = outputs;
    this.enabled = new boolean[outputs.size()];
    this.errors = new String[outputs.size()];
    Arrays.fill(enabled, true);
    Arrays.fill(errors, "");
    this.engine = engine;
    this.playback = playback;
    this.publisher = publisher;
  }

  /** The outputs to write to, in order. */
  List<Output> enabledOutputs() {
    List<Output> out = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      if (enabled[i]) {
        out.add(outputs.get(i));
      }
    }
    return out;
  }

  /** Ids of the disabled outputs, for saving. */
  List<String> disabledIds() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      if (!enabled[i]) {
        out.add(outputs.get(i).id());
      }
    }
    return out;
  }

  /** Disables the outputs saved as disabled; before start, publishes nothing. */
  void restoreDisabled(List<String> ids) {
    for (int i = 0; i < outputs.size(); i++) {
      enabled[i] = !ids.contains(outputs.get(i).id());
    }
  }

  OutputsState state() {
    Output clock = engine.clockOutput();
    OutputsState.Builder s = OutputsState.newBuilder();
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      s.addOutputs(
          OutputInfo.newBuilder()
              .setOutputId(o.id())
              .setDescription(o.description())
              .setEnabled(enabled[i])
              .setPaced(o.paced())
              .setClock(o == clock)
              .setOpen(o.isOpen())
              .setError(errors[i]));
    }
    ReplayGainSettings rg = playback.replayGain;
    s.setReplayGain(
        ReplayGainConfig.newBuilder()
            .setModeValue(rg.mode().ordinal())
            .setPreampDb(rg.preampDb())
            .setPreventClipping(rg.preventClipping()));
    return s.build();
  }

  long publish(Cause cause, Origin origin) {
    published = state();
    return publisher.outputs(published, cause, origin);
  }

  /**
   * The engine opened or closed outputs or moved the clock: publishes the state (cause OPENED) when
   * it differs from the last one published, so the open and clock flags clients see stay true.
   */
  void refresh() {
    if (published != null && !state().equals(published)) {
      publish(Cause.CAUSE_OPENED, StatePublisher.DAEMON);
    }
  }

  long enable(String outputId, boolean on, Origin origin) {
    int i = indexOf(outputId);
    if (enabled[i] == on) {
      return -1;
    }
    enabled[i] = on;
    errors[i] = "";
    try {
      engine.setOutputs(enabledOutputs()).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("output thread did not answer", e);
    }
    return publish(Cause.CAUSE_COMMAND, origin);
  }

  long replayGain(ReplayGainConfig c, Origin origin) {
    if (c.getModeValue() < 0 || c.getModeValue() >= ReplayGainMode.values().length) {
      throw DomainException.outOfRange(
          "mode", c.getModeValue(), "REPLAY_GAIN_MODE_OFF/TRACK/ALBUM/AUTO");
    }
    if (!(c.getPreampDb() >= -15 && c.getPreampDb() <= 15)) {
      throw DomainException.outOfRange("preamp_db", c.getPreampDb(), "-15 to 15");
    }
    ReplayGainSettings next =
        new ReplayGainSettings(
            ReplayGainMode.values()[c.getModeValue()],
            c.getPreampDb(),
            c.getPreventClipping(),
            playback.replayGain.fallbackDb());
    if (next.equals(playback.replayGain)) {
      return -1;
    }
    playback.replayGain = next;
    playback.reprime();
    return publish(Cause.CAUSE_COMMAND, origin);
  }

  /** The engine set an output aside. */
  void failed(String outputId, String reason) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).id().equals(outputId)) {
        errors[i] = reason == null ? "failed" : reason;
        publish(Cause.CAUSE_ERROR, StatePublisher.DAEMON);
        return;
      }
    }
  }

  private int indexOf(String outputId) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).id().equals(outputId)) {
        return i;
      }
    }
    throw DomainException.notFound("output", outputId);
  }
}
