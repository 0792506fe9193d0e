package io.tonearm.daemon.zones;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tonearm.daemon.access.Principal;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.events.EventHub;
import io.tonearm.daemon.events.Topic;
import io.tonearm.daemon.events.ZoneId;
import io.tonearm.daemon.persist.CrcFile;
import io.tonearm.proto.v1.CreateZoneRequest;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.ZoneCause;
import io.tonearm.proto.v1.ZoneChanged;
import io.tonearm.proto.v1.ZoneInfo;
import io.tonearm.proto.v1.ZoneList;
import io.tonearm.proto.v1.ZoneReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zones of the daemon: "default" (always there) and those made over the API, at most {@link
 * #MAX_ZONES} in all. Makes, removes and saves zones on one thread ({@code tonearm-zones}), so two
 * requests never race; lookups ({@link #exists}, {@link #get}) are lock-free from any thread.
 *
 * <p>Saved in {@value #FILE} in the data dir (a {@link CrcFile}: a kill -9 leaves the old list or
 * the new one), each zone's player state under {@code zones/<id>/}. A zone is in the file before
 * its creation is acknowledged and out of it before its directory is deleted; a directory the file
 * does not name (a crash in between) is deleted at start.
 */
public final class Zones implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Zones.class);

  /** Most zones at once, "default" included. */
  public static final int MAX_ZONES = 128;

  /** The list of zones made over the API, in the data dir. */
  public static final String FILE = "zones.pb";

  /** The directory under the data dir holding each zone's player state, by id. */
  public static final String DIR = "zones";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._ -]{1,64}");

  /** Makes a zone's player and outputs (the daemon's wiring); does not start it. */
  @FunctionalInterface
  public interface Opener {
    /**
     * @param info the zone
     * @param dataDir its own directory for player state (exists)
     */
    Zone open(ZoneInfo info, Path dataDir) throws IOException;
  }

  private final Path dataDir;
  private final EventHub hub;
  private final Opener opener;
  private final Consumer<String> removed;
  private final LongSupplier millis;
  private final Map<String, Zone> zones = new ConcurrentHashMap<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "tonearm-zones");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param defaultZone the zone "default", already started
   * @param removed told of a removed zone (its event published, before its player stops): closes
   *     its sockets and frame sources
   * @param millis Unix time in ms, for created_ms
   */
  public Zones(
      Path dataDir,
      EventHub hub,
      Zone defaultZone,
      Opener opener,
      Consumer<String> removed,
      LongSupplier millis) {
    if (!defaultZone.id().equals(ZoneId.DEFAULT)) {
      throw new IllegalArgumentException("the first zone must be " + ZoneId.DEFAULT);
    }
    this.dataDir = dataDir;
    this.hub = hub;
    this.opener = opener;
    this.removed = removed;
    this.millis = millis;
    zones.put(ZoneId.DEFAULT, defaultZone);
    hub.initSnapshot(
        ZoneId.DEFAULT,
        Topic.ZONES,
        Envelope.newBuilder().setZones(changed(defaultZone.info(), snapshotCause())));
  }

  private static ZoneCause snapshotCause() {
    return ZoneCause.ZONE_CAUSE_SNAPSHOT;
  }

  /**
   * Opens and starts the zones an earlier run saved, and deletes state directories of zones it does
   * not name. Call once, at start, before clients connect.
   */
  public void open() throws IOException {
    for (ZoneInfo info : load()) {
      if (zones.size() >= MAX_ZONES || zones.containsKey(info.getId())) {
        log.warn("zone {} in {} not opened: duplicate or over {}", info.getId(), FILE, MAX_ZONES);
        continue;
      }
      Path dir = dirOf(info.getId());
      Files.createDirectories(dir);
      Zone z = opener.open(info, dir);
      z.player().start();
      zones.put(info.getId(), z);
      hub.initSnapshot(
          info.getId(),
          Topic.ZONES,
          Envelope.newBuilder().setZones(changed(info, snapshotCause())));
    }
    Path root = dataDir.resolve(DIR);
    if (Files.isDirectory(root)) {
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path d : dirs.toList()) {
          if (!zones.containsKey(d.getFileName().toString())) {
            log.info("deleting {}: no zone of that id in {}", d, FILE);
            deleteTree(d);
          }
        }
      }
    }
    if (zones.size() > 1) {
      log.info("zones: {}", ids());
    }
  }

  private List<ZoneInfo> load() throws IOException {
    Optional<byte[]> body = CrcFile.read(dataDir.resolve(FILE), 0);
    if (body.isEmpty()) {
      if (Files.exists(dataDir.resolve(FILE))) {
        log.warn("{} is damaged (CRC): starting with the default zone only", FILE);
      }
      return List.of();
    }
    try {
      return ZoneList.parseFrom(body.get()).getZonesList().stream()
          .filter(z -> ZoneId.valid(z.getId()) && !z.getId().equals(ZoneId.DEFAULT))
          .toList();
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(FILE + " does not parse: " + e.getMessage(), e);
    }
  }

  /** True when {@code id} names a zone now. Any thread. */
  public boolean exists(String id) {
    return id != null && zones.containsKey(id);
  }

  /** The zone {@code id}; 404 {@code zone_not_found} when there is none. Any thread. */
  public Zone get(String id) {
    Zone z = id == null ? null : zones.get(id);
    if (z == null) {
      throw DomainException.zoneNotFound(String.valueOf(id));
    }
    return z;
  }

  /** How many zones there are, "default" included. */
  public int size() {
    return zones.size();
  }

  /** The ids of every zone, "default" first, then by creation. */
  public List<String> ids() {
    return sorted().stream().map(Zone::id).toList();
  }

  /** Every zone, "default" first, then by creation (then id). */
  public List<Zone> sorted() {
    List<Zone> all = new ArrayList<>(zones.values());
    all.sort(
        Comparator.comparing((Zone z) -> !z.id().equals(ZoneId.DEFAULT))
            .thenComparingLong(z -> z.info().getCreatedMs())
            .thenComparing(Zone::id));
    return all;
  }

  /** The zones {@code who} may use. */
  public ZoneList list(Principal who) {
    ZoneList.Builder b = ZoneList.newBuilder().setMaxZones(MAX_ZONES);
    for (Zone z : sorted()) {
      if (who.allowsZone(z.id())) {
        b.addZones(z.info());
      }
    }
    return b.build();
  }

  /**
   * Makes a zone, starts its player (stopped, empty queue) and publishes {@code ZoneChanged}
   * CREATED. Refused, changing nothing: 400 {@code bad_request} for a malformed id or name, 403
   * {@code zone_forbidden} for a caller limited to some zones, 409 {@code zone_exists}, 409 {@code
   * too_many_zones}.
   */
  public CompletionStage<ZoneReply> create(CreateZoneRequest r, Principal who) {
    String id = r.getId();
    if (!ZoneId.valid(id)) {
      throw DomainException.badRequest(
          "zone id must be 1 to "
              + ZoneId.MAX_LENGTH
              + " lower-case letters, digits, '-' or '_', starting with a letter or digit");
    }
    String name = r.getName().isEmpty() ? id : r.getName();
    if (!NAME.matcher(name).matches()) {
      throw DomainException.badRequest(
          "zone name must be 1 to 64 letters, digits, '.', '_', '-' or spaces");
    }
    if (!who.zones().isEmpty()) {
      throw new DomainException(
          DomainException.Kind.FORBIDDEN,
          "zone_forbidden",
          who.label() + " is limited to some zones and may not make zones",
          Map.of("zone", id));
    }
    return on(
        () -> {
          if (zones.containsKey(id)) {
            throw new DomainException(
                DomainException.Kind.CONFLICT,
                "zone_exists",
                "zone '" + id + "' exists already",
                Map.of("zone", id));
          }
          if (zones.size() >= MAX_ZONES) {
            throw new DomainException(
                DomainException.Kind.CONFLICT,
                "too_many_zones",
                "the daemon holds at most " + MAX_ZONES + " zones (default included)",
                Map.of("max", Integer.toString(MAX_ZONES)));
          }
          ZoneInfo info =
              ZoneInfo.newBuilder()
                  .setId(id)
                  .setName(name)
                  .setCreatedMs(millis.getAsLong())
                  .build();
          Path dir = dirOf(id);
          deleteTree(dir); // a leftover of a crash: a new zone starts empty
          Files.createDirectories(dir);
          Zone z = opener.open(info, dir);
          z.player().start();
          zones.put(id, z);
          try {
            save();
          } catch (IOException e) {
            zones.remove(id);
            z.close();
            hub.dropZone(id);
            removed.accept(id);
            throw e;
          }
          long seq =
              hub.publish(
                  id,
                  Topic.ZONES,
                  Envelope.newBuilder().setZones(changed(info, ZoneCause.ZONE_CAUSE_CREATED)),
                  Envelope.newBuilder().setZones(changed(info, snapshotCause())));
          log.info("zone {} ({}) made", id, name);
          return ZoneReply.newBuilder().setSeq(seq).setZone(info).build();
        });
  }

  /**
   * Removes a zone: publishes {@code ZoneChanged} REMOVED, closes the sockets that follow it
   * (4004), stops its player and deletes its state. Refused, changing nothing: 403 {@code
   * zone_forbidden} for a zone the caller may not use, 404 {@code zone_not_found}, 409 {@code
   * zone_default}.
   */
  public CompletionStage<ZoneReply> delete(String id, Principal who) {
    who.zoneFor(id);
    if (ZoneId.DEFAULT.equals(id)) {
      throw new DomainException(
          DomainException.Kind.CONFLICT,
          "zone_default",
          "the default zone cannot be removed",
          Map.of("zone", id));
    }
    return on(
        () -> {
          Zone z = get(id);
          zones.remove(id);
          try {
            save();
          } catch (IOException e) {
            zones.put(id, z);
            throw e;
          }
          long seq =
              hub.publish(
                  id,
                  Topic.ZONES,
                  Envelope.newBuilder().setZones(changed(z.info(), ZoneCause.ZONE_CAUSE_REMOVED)),
                  null);
          hub.dropZone(id);
          removed.accept(id);
          z.close();
          deleteTree(dirOf(id));
          log.info("zone {} removed", id);
          return ZoneReply.newBuilder().setSeq(seq).setZone(z.info()).build();
        });
  }

  private static ZoneChanged.Builder changed(ZoneInfo info, ZoneCause cause) {
    return ZoneChanged.newBuilder().setZone(info).setCause(cause);
  }

  /** Writes every zone but "default" to {@value #FILE}. Zones thread. */
  private void save() throws IOException {
    ZoneList.Builder b = ZoneList.newBuilder().setMaxZones(MAX_ZONES);
    for (Zone z : sorted()) {
      if (!z.id().equals(ZoneId.DEFAULT)) {
        b.addZones(z.info());
      }
    }
    CrcFile.write(dataDir.resolve(FILE), b.build().toByteArray());
  }

  private Path dirOf(String id) {
    return dataDir.resolve(DIR).resolve(id);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A task that may block or fail, run on the zones thread. */
  private interface Task<T> {
    T run() throws IOException;
  }

  private <T> CompletionStage<T> on(Task<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    try {
      thread.execute(
          () -> {
            try {
              done.complete(task.run());
            } catch (DomainException e) {
              done.completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
              log.warn("zone change failed", e);
              done.completeExceptionally(
                  new DomainException(
                      DomainException.Kind.INTERNAL,
                      "zone_io",
                      "could not change the zones: " + e.getMessage()));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.completeExceptionally(
          new DomainException(
              DomainException.Kind.UNAVAILABLE, "unavailable", "the daemon is shutting down"));
    }
    return done;
  }

  /** Saves and stops every zone but "default" (the daemon closes that one's parts). */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Zone z : zones.values()) {
      if (!z.id().equals(ZoneId.DEFAULT)) {
        z.close();
      }
    }
  }
}
