package io.tonearm.daemon.settings;

import io.tonearm.daemon.dsp.Enhancement;
import io.tonearm.daemon.dsp.EnhancementSettings;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.errors.DomainThread;
import io.tonearm.daemon.events.StateLane;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.daemon.library.TrackCatalog;
import io.tonearm.daemon.player.Crossfade;
import io.tonearm.proto.v1.Cause;
import io.tonearm.proto.v1.ChainConfig;
import io.tonearm.proto.v1.CrossfadeConfig;
import io.tonearm.proto.v1.EnhancementConfig;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.JobReply;
import io.tonearm.proto.v1.Origin;
import io.tonearm.proto.v1.OutputFormatConfig;
import io.tonearm.proto.v1.Preset;
import io.tonearm.proto.v1.RenderFileFormat;
import io.tonearm.proto.v1.ReplayGainConfig;
import io.tonearm.proto.v1.SavedReference;
import io.tonearm.proto.v1.SettingsChanged;
import io.tonearm.proto.v1.SettingsReply;
import io.tonearm.proto.v1.SettingsState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of the settings topic: the enhancement chain's settings (preset or custom chain,
 * intensity, on/off), the saved presets and the crossfade. A command is checked whole first (a bad
 * value changes nothing), then applied to the chain (which ramps to it), published as one {@code
 * SettingsChanged} carrying the change and its origin, and saved to {@code settings.pb}. A command
 * that changes nothing publishes nothing.
 *
 * <p>Thread-safe: commands run one at a time on the settings thread (the save is an fsync, kept off
 * the event loops), so events leave in the order the state changed; each returns a stage completed
 * with the reply, or failed with a {@link DomainException} when nothing was changed.
 */
public final class Settings implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Settings.class);

  /** Off, no preset, intensity 1, the neutral chain. */
  static final EnhancementConfig DEFAULT =
      EnhancementConfig.newBuilder()
          .setIntensity(1)
          .setCustom(ChainProtos.toProto(EnhancementSettings.NEUTRAL))
          .build();

  private final StateLane lane;
  private final Enhancement chain;
  private final SettingsFile file;
  private final Map<String, ChainConfig> saved = new TreeMap<>();
  private final Consumer<Crossfade> crossfadeSink;
  private EnhancementConfig enhancement = DEFAULT;
  private CrossfadeConfig crossfade = CrossfadeConfig.getDefaultInstance();
  private ReplayGainConfig replayGain = ReplayGainConfig.getDefaultInstance();
  private OutputFormatConfig output = OutputFormatConfig.getDefaultInstance();
  private volatile BiFunction<ReplayGainConfig, Origin, CompletionStage<ReplayGainConfig>>
      replayGainOwner;
  private ReferenceMatch reference;
  private SavedReference savedReference = SavedReference.getDefaultInstance();
  private TrackCatalog catalog;
  private Jobs jobs;
  private final Path renders;
  private volatile String playingTrack = "";
  private final ExecutorService thread;
  private final boolean ownThread;
  private boolean closed; // guarded by this

  /** Settings without a player to tell the crossfade to (tests). */
  public Settings(Path dataDir, StateLane lane, Enhancement chain) {
    this(dataDir, lane, chain, c -> {});
  }

  /** Settings of one player with a thread of their own, renders in {@code dataDir} (tests). */
  public Settings(
      Path dataDir, StateLane lane, Enhancement chain, Consumer<Crossfade> crossfadeSink) {
    this(dataDir, dataDir.resolve("renders"), lane, chain, crossfadeSink, null);
  }

  /**
   * The sound settings of one zone's player: restores {@code settings.pb} and {@code reference.pb}
   * from {@code stateDir}, applies them to {@code chain} and gives the crossfade to {@code
   * crossfadeSink} (the player; called on the settings thread, or this one at start, and must not
   * block).
   *
   * @param stateDir the zone's state directory (the data dir for "default", else {@code
   *     zones/<id>/}): where the settings are kept
   * @param renders where renders are written (the data dir's {@code renders/}, shared by zones)
   * @param lane the zone's state lane: events and snapshots carry its zone
   * @param thread the settings thread, shared by every zone's settings and shut down by its owner;
   *     null for a thread of this instance's own, shut down by {@link #close}
   */
  public Settings(
      Path stateDir,
      Path renders,
      StateLane lane,
      Enhancement chain,
      Consumer<Crossfade> crossfadeSink,
      ExecutorService thread) {
    this.lane = lane;
    this.chain = chain;
    this.crossfadeSink = crossfadeSink;
    this.file = new SettingsFile(stateDir);
    this.renders = renders;
    this.ownThread = thread == null;
    this.thread = thread != null ? thread : newThread();
    file.load().ifPresent(this::restore);
    chain.apply(effective());
    chain.compare(enhancement.getCompareBypass());
    crossfadeSink.accept(toEngine(crossfade));
  }

  /**
   * A settings thread (daemon thread {@code tonearm-settings}, made for a change and ended when
   * none came for a while), for one or every zone.
   */
  public static ExecutorService newThread() {
    return io.tonearm.daemon.ops.QuietThreads.single("tonearm-settings");
  }

  /**
   * Connects the settings the player keeps: {@code replayGainOwner} applies a ReplayGain change
   * (the player: it checks, applies, publishes on the outputs topic and keeps it with its state)
   * and completes with the value in force; {@code output} is the output format set at start. Call
   * once, before commands arrive.
   */
  public void attach(
      OutputFormatConfig output,
      BiFunction<ReplayGainConfig, Origin, CompletionStage<ReplayGainConfig>> replayGainOwner) {
    synchronized (this) {
      this.output = output;
    }
    this.replayGainOwner = replayGainOwner;
  }

  /**
   * The player's ReplayGain changed to {@code c}, by whatever command (or restored at start when
   * {@code origin} is null, which publishes nothing). Any thread; returns at once.
   */
  public void replayGainChanged(ReplayGainConfig c, Origin origin) {
    on(
        () -> {
          if (!c.equals(replayGain)) {
            replayGain = c;
            if (origin != null) {
              return publish(SettingsChanged.newBuilder().setReplayGain(c), origin);
            }
          }
          return reply();
        });
  }

  /**
   * Enables reference matching: reference and playing tracks are found in {@code catalog} and
   * measured by jobs on {@code jobs}. Call once, before commands arrive.
   */
  public void attachReference(TrackCatalog catalog, Jobs jobs) {
    synchronized (this) {
      reference = new ReferenceMatch(catalog, jobs, chain, this::postReference);
      this.catalog = catalog;
      this.jobs = jobs;
      reference.intensity(enhancement.getIntensity());
      savedReference = file.loadReference();
      if (reference.restore(savedReference)) {
        log.warn("{}", reference.state().getError());
        saveReference();
      }
    }
  }

  /**
   * The library's tracks changed (a scan removed some): a reference it no longer has is dropped,
   * with the reason in the state. Any thread; returns at once.
   */
  public void libraryChanged() {
    postReference(() -> reference.checkReference());
  }

  /** Writes {@code reference.pb} when what it keeps changed. Settings thread (or at start). */
  private void saveReference() {
    SavedReference now = reference.saved();
    if (now.equals(savedReference)) {
      return;
    }
    try {
      file.saveReference(now);
      savedReference = now;
    } catch (IOException e) {
      log.error("reference not saved", e); // applied and published; the next change saves again
    }
  }

  /**
   * Starts a job rendering {@code trackId} through the chain as it is set now (and the reference
   * curve for the playing track) into {@code renders/} in the data dir as {@code fileFormat}; see
   * {@link RenderJob}. 404 for an unknown track, 422 for an unknown format, 503 when the job queue
   * is full.
   */
  public CompletionStage<JobReply> render(
      String trackId, RenderFileFormat fileFormat, Origin origin) {
    return on(
        () -> {
          RenderFormat format =
              switch (fileFormat) {
                case RENDER_FILE_FORMAT_FLOAT_WAV -> RenderFormat.FLOAT_WAV;
                case RENDER_FILE_FORMAT_FLAC_16 -> RenderFormat.FLAC_16;
                case RENDER_FILE_FORMAT_FLAC_24 -> RenderFormat.FLAC_24;
                case UNRECOGNIZED ->
                    throw DomainException.outOfRange(
                        "format", fileFormat, "FLOAT_WAV, FLAC_16 or FLAC_24");
              };
          if (jobs == null) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "no library to render from");
          }
          TrackCatalog.CatalogTrack t =
              catalog.byId(trackId).orElseThrow(() -> DomainException.notFound("track", trackId));
          try {
            java.nio.file.Files.createDirectories(renders);
          } catch (IOException e) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "cannot make " + renders);
          }
          String name = t.title().replaceAll("[^A-Za-z0-9 _-]", "_").trim();
          name = (name.isEmpty() ? trackId : name.substring(0, Math.min(60, name.length())));
          String stamp = Long.toString(System.currentTimeMillis(), 36);
          Path target = renders.resolve(name + "-" + stamp + format.extension());
          java.util.List<io.tonearm.daemon.dsp.EqBand> match =
              reference == null ? java.util.List.of() : reference.bands();
          try {
            Jobs.Submitted s =
                jobs.submit(
                    "settings.render",
                    "Render " + t.title() + " to renders/" + target.getFileName(),
                    origin.getClient(),
                    new RenderJob(
                        t.file(),
                        target,
                        effective(),
                        match,
                        reference == null ? 0 : reference.gainDb(),
                        format,
                        RenderJob::create));
            return JobReply.newBuilder().setSeq(s.seq()).setJob(s.job()).build();
          } catch (IllegalStateException e) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", e.getMessage());
          }
        });
  }

  /** Chooses the reference track (empty: none); 404 for an unknown track. */
  public CompletionStage<SettingsReply> setReference(String trackId, Origin origin) {
    return on(
        () -> {
          if (reference == null) {
            throw new DomainException(
                DomainException.Kind.UNAVAILABLE, "unavailable", "no library to match from");
          }
          return reference.select(trackId, origin.getClient())
              ? publish(SettingsChanged.newBuilder().setReference(reference.state()), origin)
              : reply();
        });
  }

  /**
   * The library track now playing (empty: none), from the player's events; any thread, returns at
   * once. Reference matching designs its curve for it.
   */
  public void playing(String trackId) {
    if (trackId.equals(playingTrack)) {
      return;
    }
    playingTrack = trackId;
    postReference(() -> reference.playing(trackId));
  }

  /** Runs a reference-matching change on the settings thread; publishes it when it changed. */
  private void postReference(Supplier<Boolean> change) {
    on(
        () ->
            reference != null && change.get()
                ? publish(
                    SettingsChanged.newBuilder().setReference(reference.state()),
                    Origin.getDefaultInstance())
                : reply());
  }

  /** The engine's form of the crossfade settings. */
  static Crossfade toEngine(CrossfadeConfig c) {
    return new Crossfade(
        c.getSeconds(), c.getMixrampDb(), c.getMixrampDelaySeconds(), !c.getFadeAlbumTracks());
  }

  private void restore(SettingsState s) {
    for (Preset p : s.getPresetsList()) {
      if (!p.getBuiltIn() && !BuiltInPresets.ALL.containsKey(p.getName())) {
        try {
          SettingsCheck.chain("", p.getChain());
          saved.put(p.getName(), p.getChain());
        } catch (DomainException e) {
          log.warn("saved preset {} dropped: {}", p.getName(), e.getMessage());
        }
      }
    }
    try {
      check(s.getEnhancement());
      enhancement = s.getEnhancement();
    } catch (DomainException e) {
      log.warn("saved enhancement settings dropped: {}", e.getMessage());
    }
    try {
      SettingsCheck.crossfade(s.getCrossfade());
      crossfade = s.getCrossfade();
    } catch (DomainException e) {
      log.warn("saved crossfade settings dropped: {}", e.getMessage());
    }
  }

  /** The snapshot a new subscriber of the settings topic gets. */
  public synchronized Envelope.Builder snapshot() {
    return Envelope.newBuilder()
        .setSettings(SettingsChanged.newBuilder().setState(state()).setCause(Cause.CAUSE_SNAPSHOT));
  }

  public CompletionStage<SettingsReply> get() {
    return on(this::queryReply);
  }

  /** Replaces the enhancement settings; see {@link #applyEnhancement}. */
  public CompletionStage<SettingsReply> setEnhancement(EnhancementConfig next, Origin origin) {
    return on(() -> applyEnhancement(next, origin));
  }

  /** Replaces the crossfade settings (the whole value); 422 naming a field out of range. */
  public CompletionStage<SettingsReply> setCrossfade(CrossfadeConfig next, Origin origin) {
    return on(() -> applyCrossfade(next, origin));
  }

  /**
   * Replaces the crossfade settings by {@code change} applied to the current ones, in one step
   * (MPD's {@code crossfade}, {@code mixrampdb} and {@code mixrampdelay} each change one field).
   */
  public CompletionStage<SettingsReply> updateCrossfade(
      UnaryOperator<CrossfadeConfig> change, Origin origin) {
    return on(() -> applyCrossfade(change.apply(crossfade), origin));
  }

  /**
   * Sets ReplayGain through the player (422 naming a field out of range, from the player); the
   * reply carries the settings event's seq.
   */
  public CompletionStage<SettingsReply> setReplayGain(ReplayGainConfig next, Origin origin) {
    return on(() -> applyReplayGain(next, origin));
  }

  /** Saves a preset; see {@link #applySavePreset}. */
  public CompletionStage<SettingsReply> savePreset(String name, ChainConfig chain, Origin origin) {
    return on(() -> applySavePreset(name, chain, origin));
  }

  /** Deletes a saved preset; see {@link #applyDeletePreset}. */
  public CompletionStage<SettingsReply> deletePreset(String name, Origin origin) {
    return on(() -> applyDeletePreset(name, origin));
  }

  /** Everything back to its default; saved presets are kept. */
  public CompletionStage<SettingsReply> reset(Origin origin) {
    return on(() -> applyReset(origin));
  }

  /**
   * Takes no more commands (they fail with {@code unavailable}) and writes nothing more: after
   * this, the zone's state directory may be deleted. A command running now finishes first.
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
                DomainException.Kind.UNAVAILABLE, "unavailable", "these settings are closed");
          }
          return command.get();
        });
  }

  private SettingsReply reply() {
    return SettingsReply.newBuilder()
        .setSeq(lane.newestSeq(Topic.SETTINGS))
        .setState(state())
        .build();
  }

  /** The reply of GET: as of the current seq (the newest event of any topic). */
  private SettingsReply queryReply() {
    return SettingsReply.newBuilder().setSeq(lane.currentSeq()).setState(state()).build();
  }

  /** 422 for a value out of range, 404 for an unknown preset. */
  private SettingsReply applyEnhancement(EnhancementConfig next, Origin origin) {
    EnhancementConfig filled =
        next.hasCustom() ? next : next.toBuilder().setCustom(enhancement.getCustom()).build();
    check(filled);
    if (filled.equals(enhancement)) {
      return reply();
    }
    enhancement = filled;
    chain.apply(effective());
    chain.compare(filled.getCompareBypass());
    if (reference != null) {
      reference.intensity(filled.getIntensity()); // the event's state carries the new curve
    }
    return publish(SettingsChanged.newBuilder().setEnhancement(filled), origin);
  }

  private SettingsReply applyReplayGain(ReplayGainConfig next, Origin origin) {
    var owner = replayGainOwner;
    if (owner == null) {
      throw new DomainException(
          DomainException.Kind.UNAVAILABLE, "unavailable", "no player to apply ReplayGain to");
    }
    ReplayGainConfig now;
    try {
      // The player tells replayGainChanged too; that later task finds the value already here.
      now = owner.apply(next, origin).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new DomainException(
          DomainException.Kind.UNAVAILABLE, "unavailable", "the player did not answer");
    }
    if (now.equals(replayGain)) {
      return reply();
    }
    replayGain = now;
    return publish(SettingsChanged.newBuilder().setReplayGain(now), origin);
  }

  private SettingsReply applyCrossfade(CrossfadeConfig next, Origin origin) {
    SettingsCheck.crossfade(next);
    if (next.equals(crossfade)) {
      return reply();
    }
    crossfade = next;
    crossfadeSink.accept(toEngine(next));
    return publish(SettingsChanged.newBuilder().setCrossfade(next), origin);
  }

  /** {@code chain}, or the current chain at intensity 1 when null; 409 for a built-in name. */
  private SettingsReply applySavePreset(String name, ChainConfig chainConfig, Origin origin) {
    SettingsCheck.presetName(name);
    if (BuiltInPresets.ALL.containsKey(name)) {
      throw DomainException.conflict("preset " + name + " is built in and cannot be replaced");
    }
    ChainConfig c = chainConfig != null ? chainConfig : fullChain();
    if (chainConfig != null) {
      SettingsCheck.chain("chain.", c);
    }
    if (c.equals(saved.get(name))) {
      return reply();
    }
    saved.put(name, c);
    Preset p = Preset.newBuilder().setName(name).setChain(c).build();
    return publish(SettingsChanged.newBuilder().setPresetSaved(p), origin);
  }

  /** 404 when there is none, 409 for a built-in or the one in use. */
  private SettingsReply applyDeletePreset(String name, Origin origin) {
    if (BuiltInPresets.ALL.containsKey(name)) {
      throw DomainException.conflict("preset " + name + " is built in and cannot be deleted");
    }
    if (!saved.containsKey(name)) {
      throw DomainException.notFound("preset", name);
    }
    if (name.equals(enhancement.getPreset())) {
      throw DomainException.conflict("preset " + name + " is in use; choose another first");
    }
    saved.remove(name);
    return publish(SettingsChanged.newBuilder().setPresetDeleted(name), origin);
  }

  private SettingsReply applyReset(Origin origin) {
    if (enhancement.equals(DEFAULT) && crossfade.equals(CrossfadeConfig.getDefaultInstance())) {
      return reply();
    }
    enhancement = DEFAULT;
    chain.apply(effective());
    chain.compare(false);
    crossfade = CrossfadeConfig.getDefaultInstance();
    crossfadeSink.accept(toEngine(crossfade));
    if (reference != null) {
      reference.intensity(DEFAULT.getIntensity());
    }
    return publish(SettingsChanged.newBuilder().setReset(true), origin);
  }

  private void check(EnhancementConfig c) {
    SettingsCheck.intensity(c.getIntensity());
    if (!c.getPreset().isEmpty()
        && !BuiltInPresets.ALL.containsKey(c.getPreset())
        && !saved.containsKey(c.getPreset())) {
      throw new DomainException(
          DomainException.Kind.NOT_FOUND,
          "not_found",
          "preset not found: " + c.getPreset(),
          Map.of("field", "preset", "id", c.getPreset()));
    }
    SettingsCheck.chain("custom.", c.getCustom());
  }

  /** The chosen chain at intensity 1. */
  private ChainConfig fullChain() {
    String p = enhancement.getPreset();
    if (p.isEmpty()) {
      return enhancement.getCustom();
    }
    EnhancementSettings builtIn = BuiltInPresets.ALL.get(p);
    return builtIn != null ? ChainProtos.toProto(builtIn) : saved.get(p);
  }

  /** What the chain runs with: the chosen chain scaled by the intensity. */
  private EnhancementSettings effective() {
    return ChainProtos.toEngine(fullChain(), enhancement.getEnabled())
        .scaled(enhancement.getIntensity());
  }

  private SettingsState state() {
    SettingsState.Builder s =
        SettingsState.newBuilder()
            .setEnhancement(enhancement)
            .setEffective(ChainProtos.toProto(effective()))
            .setCrossfade(crossfade)
            .setReplayGain(replayGain)
            .setOutput(output);
    if (reference != null) {
      s.setReference(reference.state());
    }
    BuiltInPresets.ALL.forEach(
        (name, c) ->
            s.addPresets(
                Preset.newBuilder()
                    .setName(name)
                    .setBuiltIn(true)
                    .setChain(ChainProtos.toProto(c))));
    saved.forEach((name, c) -> s.addPresets(Preset.newBuilder().setName(name).setChain(c)));
    return s.build();
  }

  private SettingsReply publish(SettingsChanged.Builder change, Origin origin) {
    SettingsState s = state();
    change.setState(s).setCause(Cause.CAUSE_COMMAND).setOrigin(origin);
    long seq =
        lane.publish(
            Topic.SETTINGS,
            Envelope.newBuilder().setSettings(change),
            Envelope.newBuilder()
                .setSettings(
                    SettingsChanged.newBuilder().setState(s).setCause(Cause.CAUSE_SNAPSHOT)));
    try {
      // ReplayGain is kept by the player with its state, the output format comes from the config.
      file.save(
          s.toBuilder().clearEffective().clearReplayGain().clearOutput().clearReference().build());
    } catch (IOException e) {
      log.error("settings not saved", e); // applied and published; the next change saves again
    }
    if (reference != null) {
      saveReference();
    }
    return SettingsReply.newBuilder().setSeq(seq).setState(s).build();
  }
}
