package io.tonearm.daemon.mixer;

import io.tonearm.daemon.decode.StemLayout;
import io.tonearm.daemon.dsp.MixerSettings;
import io.tonearm.daemon.dsp.StemMixer;
import io.tonearm.daemon.dsp.VolumeRamp;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainThread;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.MixMode;
import io.tonearm.proto.v1.MixerChanged;
import io.tonearm.proto.v1.MixerReply;
import io.tonearm.proto.v1.MixerState;
import io.tonearm.proto.v1.MixerStem;
import io.tonearm.proto.v1.MixerVolumesRequest;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.StemStrip;
import io.tonearm.proto.v1.StemStripRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of one zone's topic "mixer" (each zone's player has its own): the vocal and
 * instrumental volumes and the stem strips (gain, mute, solo, pan by stem name). A command is
 * checked whole (a bad value changes nothing), applied to the engine's {@link StemMixer} (which
 * ramps to it), published as one {@code MixerChanged} and saved to {@code mixer.pb}; one that
 * changes nothing publishes nothing. When the engine starts mixing an item with other stems (or an
 * ordinary track), the state's {@code mode} and {@code stems} follow with cause AUTO_ADVANCE.
 *
 * <p>Thread-safe: everything runs on the mixer thread (one may serve every zone; the save is an
 * fsync, kept off the event loops), holding this object's lock; each command returns a stage
 * completed with the reply or failed with a {@link DomainException}.
 */
public final class Mixer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Mixer.class);

  /** Stem names with a strip set, at most. */
  public static final int MAX_STRIPS = 64;

  static final double MIN_GAIN_DB = -60;
  static final double MAX_GAIN_DB = 12;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_ .-]{0,31}");
  private static final StemStrip DEFAULT_STRIP = StemStrip.getDefaultInstance();

  private final StateLane lane;
  private final StemMixer engine;
  private final Path file;
  private final ExecutorService thread;
  private final boolean ownThread;
  private boolean closed; // guarded by this
  private int vocal = 100;
  private int instrumental = 100;
  private final Map<String, StemStrip> strips = new TreeMap<>();
  private MixMode mode = MixMode.MIX_MODE_NONE;
  private StemLayout layout;

  /** A mixer with a thread of its own, kept in {@code dataDir} (tests). */
  public Mixer(Path dataDir, StateLane lane, StemMixer engine) {
    this(dataDir, lane, engine, null);
  }

  /**
   * The mixer of one zone's player: restores {@code mixer.pb} from {@code stateDir} and applies it
   * to {@code engine}.
   *
   * @param stateDir the zone's state directory (the data dir for "default", else {@code
   *     zones/<id>/}): where the volumes and strips are kept
   * @param lane the zone's state lane: events and snapshots carry its zone
   * @param engine the zone's player's stem mixer
   * @param thread the mixer thread, shared by every zone's mixer and shut down by its owner; null
   *     for a thread of this instance's own, shut down by {@link #close}
   */
  public Mixer(Path stateDir, StateLane lane, StemMixer engine, ExecutorService thread) {
    this.lane = lane;
    this.engine = engine;
    this.file = stateDir.resolve("mixer.pb");
    this.ownThread = thread == null;
    this.thread = thread != null ? thread : newThread();
    restore();
    engine.apply(settings());
    engine.onLayout((l, channels) -> on(() -> layoutChanged(l, channels)));
  }

  private void restore() {
    Optional<byte[]> body = CrcFile.read(file, 0);
    if (body.isEmpty()) {
      return;
    }
    try {
      MixerState s = MixerState.parseFrom(body.get());
      checkVolume("vocal_volume", s.getVocalVolume());
      checkVolume("instrumental_volume", s.getInstrumentalVolume());
      for (Map.Entry<String, StemStrip> e : s.getStripsMap().entrySet()) {
        checkName(e.getKey());
        checkStrip(e.getValue());
      }
      vocal = s.getVocalVolume();
      instrumental = s.getInstrumentalVolume();
      s.getStripsMap().entrySet().stream()
          .limit(MAX_STRIPS)
          .forEach(e -> strips.put(e.getKey(), e.getValue()));
    } catch (IOException | DomainException e) {
      log.warn("saved mixer settings dropped: {}", e.getMessage());
    }
  }

  /** The snapshot a new subscriber of topic "mixer" gets. */
  public synchronized Envelope.Builder snapshot() {
    return Envelope.newBuilder()
        .setMixer(MixerChanged.newBuilder().setState(state()).setCause(Cause.CAUSE_SNAPSHOT));
  }

  public CompletionStage<MixerReply> get() {
    return on(this::queryReply);
  }

  /** Sets the vocal and/or instrumental volume; 400 when neither is given, 422 out of range. */
  public CompletionStage<MixerReply> setVolumes(MixerVolumesRequest r, Origin origin) {
    return on(() -> applyVolumes(r, origin));
  }

  /** Changes the given fields of stem {@code name}'s strip. */
  public CompletionStage<MixerReply> setStrip(String name, StemStripRequest r, Origin origin) {
    return on(() -> applyStrip(name, r, origin));
  }

  /** Both volumes to 100 and every strip back to its default. */
  public CompletionStage<MixerReply> reset(Origin origin) {
    return on(() -> applyReset(origin));
  }

  /** A mixer thread (daemon thread {@code tonearm-mixer}), for one or every zone. */
  public static ExecutorService newThread() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "tonearm-mixer");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Takes no more commands (they fail with {@code unavailable}), publishes and writes nothing more:
   * after this, the zone's state directory may be deleted. A command running now finishes first.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    if (ownThread) {
      thread.shutdown();
    }
  }

  private <T> CompletionStage<T> on(Supplier<T> command) {
    return DomainThread.run(
        thread,
        this,
        () -> {
          if (closed) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "this mixer is closed");
          }
          return command.get();
        });
  }

  private MixerReply applyVolumes(MixerVolumesRequest r, Origin origin) {
    if (!r.hasVocalVolume() && !r.hasInstrumentalVolume()) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          "missing_field",
          "mixer.volumes needs vocal_volume or instrumental_volume (vocalVolume,"
              + " instrumentalVolume in JSON)",
          Map.of("field", "vocal_volume"));
    }
    int v = r.hasVocalVolume() ? checkVolume("vocal_volume", r.getVocalVolume()) : vocal;
    int i =
        r.hasInstrumentalVolume()
            ? checkVolume("instrumental_volume", r.getInstrumentalVolume())
            : instrumental;
    if (v == vocal && i == instrumental) {
      return reply();
    }
    vocal = v;
    instrumental = i;
    return changed(Cause.CAUSE_COMMAND, origin);
  }

  private MixerReply applyStrip(String name, StemStripRequest r, Origin origin) {
    checkName(name);
    if (!r.hasGainDb() && !r.hasMute() && !r.hasSolo() && !r.hasPan()) {
      throw new DomainException(
          DomainException.Kind.INVALID,
          "missing_field",
          "mixer.stem needs at least one of gain_db, mute, solo, pan",
          Map.of("field", "gain_db"));
    }
    StemStrip.Builder b = strips.getOrDefault(name, DEFAULT_STRIP).toBuilder();
    if (r.hasGainDb()) {
      b.setGainDb(r.getGainDb());
    }
    if (r.hasMute()) {
      b.setMute(r.getMute());
    }
    if (r.hasSolo()) {
      b.setSolo(r.getSolo());
    }
    if (r.hasPan()) {
      b.setPan(r.getPan());
    }
    StemStrip next = b.build();
    checkStrip(next);
    if (next.equals(strips.getOrDefault(name, DEFAULT_STRIP))) {
      return reply();
    }
    if (next.equals(DEFAULT_STRIP)) {
      strips.remove(name);
    } else {
      if (!strips.containsKey(name) && strips.size() >= MAX_STRIPS) {
        throw new DomainException(
            DomainException.Kind.CONFLICT,
            "too_many_strips",
            "at most " + MAX_STRIPS + " stem names may have a strip set; reset one first",
            Map.of("limit", Integer.toString(MAX_STRIPS)));
      }
      strips.put(name, next);
    }
    return changed(Cause.CAUSE_COMMAND, origin);
  }

  private MixerReply applyReset(Origin origin) {
    if (vocal == 100 && instrumental == 100 && strips.isEmpty()) {
      return reply();
    }
    vocal = 100;
    instrumental = 100;
    strips.clear();
    return changed(Cause.CAUSE_COMMAND, origin);
  }

  /** Mixer thread: the engine began mixing {@code l} (null: an ordinary track). */
  private Void layoutChanged(StemLayout l, int channels) {
    MixMode next =
        l != null
            ? MixMode.MIX_MODE_STEMS
            : channels == 2 ? MixMode.MIX_MODE_VOCAL_REDUCTION : MixMode.MIX_MODE_PASSTHROUGH;
    if (next == mode && java.util.Objects.equals(l, layout)) {
      return null;
    }
    mode = next;
    layout = l;
    MixerState s = state();
    lane.publish(
        Topic.MIXER,
        Envelope.newBuilder()
            .setMixer(
                MixerChanged.newBuilder()
                    .setState(s)
                    .setCause(Cause.CAUSE_AUTO_ADVANCE)
                    .setOrigin(Origin.getDefaultInstance())),
        Envelope.newBuilder()
            .setMixer(MixerChanged.newBuilder().setState(s).setCause(Cause.CAUSE_SNAPSHOT)));
    return null;
  }

  private static int checkVolume(String field, int v) {
    if (v < 0 || v > 100) {
      throw DomainException.outOfRange(field, Integer.toUnsignedString(v), "0 to 100");
    }
    return v;
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw DomainException.outOfRange(
          "name", name, "1 to 32 of lower-case a-z, 0-9, space, _ . - (a stem name)");
    }
  }

  private static void checkStrip(StemStrip s) {
    if (!(s.getGainDb() >= MIN_GAIN_DB && s.getGainDb() <= MAX_GAIN_DB)) {
      throw DomainException.outOfRange("gain_db", s.getGainDb(), "-60 to 12");
    }
    if (!(s.getPan() >= -1 && s.getPan() <= 1)) {
      throw DomainException.outOfRange("pan", s.getPan(), "-1 to 1");
    }
  }

  private MixerSettings settings() {
    Map<String, MixerSettings.Strip> engineStrips = new HashMap<>();
    strips.forEach(
        (name, s) ->
            engineStrips.put(
                name,
                new MixerSettings.Strip(
                    (float) Math.pow(10, s.getGainDb() / 20),
                    s.getMute(),
                    s.getSolo(),
                    (float) s.getPan())));
    return new MixerSettings(
        VolumeRamp.gainFor(vocal, false), VolumeRamp.gainFor(instrumental, false), engineStrips);
  }

  private MixerState state() {
    MixerState.Builder s =
        MixerState.newBuilder()
            .setVocalVolume(vocal)
            .setInstrumentalVolume(instrumental)
            .setMode(mode)
            .putAllStrips(strips);
    if (layout != null) {
      for (int i = 0; i < layout.count(); i++) {
        String n = layout.names().get(i);
        s.addStems(
            MixerStem.newBuilder()
                .setName(n)
                .setVocal(layout.isVocal(i))
                .setStrip(strips.getOrDefault(n, DEFAULT_STRIP)));
      }
    }
    return s.build();
  }

  private MixerReply reply() {
    return MixerReply.newBuilder().setSeq(lane.newestSeq(Topic.MIXER)).setState(state()).build();
  }

  /** The reply of GET: as of the current seq (the newest event of any topic). */
  private MixerReply queryReply() {
    return MixerReply.newBuilder().setSeq(lane.currentSeq()).setState(state()).build();
  }

  private MixerReply changed(Cause cause, Origin origin) {
    engine.apply(settings());
    MixerState s = state();
    long seq =
        lane.publish(
            Topic.MIXER,
            Envelope.newBuilder()
                .setMixer(MixerChanged.newBuilder().setState(s).setCause(cause).setOrigin(origin)),
            Envelope.newBuilder()
                .setMixer(MixerChanged.newBuilder().setState(s).setCause(Cause.CAUSE_SNAPSHOT)));
    try {
      CrcFile.write(
          file, s.toBuilder().clearStems().setMode(MixMode.MIX_MODE_NONE).build().toByteArray());
    } catch (IOException e) {
      log.error("mixer settings not saved", e); // applied and published; the next change saves
    }
    return MixerReply.newBuilder().setSeq(seq).setState(s).build();
  }
}
