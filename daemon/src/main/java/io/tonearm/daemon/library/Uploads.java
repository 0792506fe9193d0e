package io.tonearm.daemon.library;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.errors.DomainException;
import io.tonearm.daemon.jobs.JobContext;
import io.tonearm.daemon.jobs.Jobs;
import io.tonearm.proto.v1.AnalyzeRequest;
import io.tonearm.proto.v1.LibraryTrack;
import io.tonearm.proto.v1.UploadReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Songs (and NI Stems files, which are stem sets in one file) uploaded over HTTP into the managed
 * folder {@code uploads} in the data dir, and stem sets of separate files: a ZIP of them uploaded
 * as {@code Name.stems} ({@link StemArchive}) becomes the stem folder {@code uploads/Name.stems/},
 * placed whole or not at all. The transport streams each body into a {@link Spool}: a file of its
 * own in {@code .upload-staging} (also in the data dir, so the final rename stays on one file
 * system; named {@code *.part}, which the scanner never reads), never into the heap. Then a job of
 * kind {@code library.upload} decodes it whole with the player's decoders, links it into place
 * under its name (atomic; fails when the name is taken, so nothing is overwritten), scans it into
 * the library and starts its loudness analysis. Anything that fails on the way deletes the staging
 * file: nothing partial is ever left in the uploads folder or the staging folder.
 *
 * <p>Threading: {@link #open} and the {@link Spool} on the connection's event loop; {@link #place}
 * from any thread, its work on a job worker.
 */
public final class Uploads {

  private static final Logger log = LoggerFactory.getLogger(Uploads.class);

  /** The largest upload accepted, in bytes (512 MiB); more is refused with 413. */
  public static final long MAX_BYTES = 512L * 1024 * 1024;

  /** The longest file name accepted, in characters. */
  public static final int MAX_NAME_CHARS = 200;

  /** Uploads being received at once, daemon-wide; more are refused with 503 {@code busy}. */
  public static final int MAX_OPEN = 8;

  /**
   * The header by which the transport hands a received upload's spool id to the route; the
   * transport removes it from every request it did not set itself.
   */
  public static final String SPOOL_HEADER = "x-tonearm-upload";

  static final String FOLDER = "uploads";
  static final String STAGING = ".upload-staging";

  private final Path folder;
  private final Path staging;
  private final Library library;
  private final Jobs jobs;
  private final TrackAnalysis analysis;
  private final LongSupplier seq;
  private final Map<String, Spool> spools = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Object placing = new Object();

  /**
   * @param dataDir the daemon's data dir; {@code uploads} and {@code .upload-staging} are made in
   *     it, and staging files left by a crash are deleted
   * @param seq the seq of the newest library event, for replies
   */
  public Uploads(Path dataDir, Library library, Jobs jobs, TrackAnalysis analysis, LongSupplier seq)
      throws IOException {
    this.folder = Files.createDirectories(dataDir.resolve(FOLDER)).toRealPath();
    this.staging = Files.createDirectories(dataDir.resolve(STAGING)).toRealPath();
    this.library = library;
    this.jobs = jobs;
    this.analysis = analysis;
    this.seq = seq;
    try (var old = Files.list(staging)) {
      for (Path p : old.toList()) {
        deleteTree(p); // staging files, and stem sets being unpacked, left by a crash
      }
    }
  }

  /** The managed folder uploads are placed in. */
  public Path folder() {
    return folder;
  }

  /**
   * Checks an upload's file name: 1 to {@value #MAX_NAME_CHARS} characters, a plain name (no {@code
   * /}, {@code \}, NUL or control characters, not starting with a dot, not ending with a space or a
   * dot) whose extension the library scans.
   *
   * @throws DomainException 422 {@code bad_name} naming the rule broken
   */
  public static String checkName(String name) {
    String why = null;
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      why = "must be 1 to " + MAX_NAME_CHARS + " characters";
    } else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      why = "must be a plain file name, without / or \\";
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      why = "must not hold control characters";
    } else if (name.startsWith(".")) {
      why = "must not start with a dot";
    } else if (name.endsWith(" ") || name.endsWith(".")) {
      why = "must not end with a space or a dot";
    } else if (!TagReader.EXTENSIONS.contains(TagReader.extension(name)) && !isStemSet(name)) {
      why =
          "must end with an extension the library scans ("
              + String.join(", ", TagReader.EXTENSIONS.stream().sorted().toList())
              + "), or with .stems for a stem set";
    }
    if (why != null) {
      String shown = name == null ? "" : name.length() > 64 ? name.substring(0, 64) + "..." : name;
      throw new DomainException(
          DomainException.Kind.UNPROCESSABLE,
          "bad_name",
          "upload name '" + shown.replaceAll("\\p{Cntrl}", "?") + "' " + why,
          Map.of("field", "name"));
    }
    return name;
  }

  /** True for an upload name that is a stem set: a ZIP of stem files placed as a stem folder. */
  static boolean isStemSet(String name) {
    return StemTags.isStemFolder(name.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Starts receiving an upload: checks the name and the declared length, and makes its staging
   * file. Connection's event loop. A refused upload still gets a spool, holding the refusal and no
   * file, so that the route answers it in the connection's order: {@code bad_name} (422), {@code
   * too_large} (413) when more than {@link #MAX_BYTES} are declared, {@code conflict} (409) when
   * the name is taken, {@code busy} (503) with {@link #MAX_OPEN} uploads under way, {@code
   * internal} when the staging file cannot be made.
   *
   * @param declaredBytes the request's Content-Length, or -1 when the body is chunked
   */
  public Spool open(String name, long declaredBytes) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    Spool s;
    try {
      checkName(name);
      if (declaredBytes > MAX_BYTES) {
        throw tooLarge();
      }
      if (Files.exists(folder.resolve(name))) {
        throw taken(name);
      }
      if (receiving() >= MAX_OPEN) {
        throw new DomainException(
            DomainException.Kind.UNAVAILABLE,
            "busy",
            MAX_OPEN + " uploads are being received; try again when one has finished");
      }
      Path file = staging.resolve(id + ".part");
      FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      s = new Spool(id, name, file, ch, null);
    } catch (DomainException e) {
      s = new Spool(id, name, null, null, e);
    } catch (IOException e) {
      log.warn("upload {}: cannot make a staging file: {}", id, e.toString());
      s =
          new Spool(
              id,
              name,
              null,
              null,
              new DomainException(
                  DomainException.Kind.INTERNAL, "internal", "cannot store the upload now"));
    }
    spools.put(id, s);
    return s;
  }

  /** Uploads with a staging file, being received or waiting for their route. */
  private int receiving() {
    return (int) spools.values().stream().filter(x -> x.file != null).count();
  }

  /**
   * Finishes the upload received into spool {@code id} (the route, once the whole body is in): a
   * job decodes it, places it as {@code name} and scans it. Completes with the reply, or fails with
   * a {@link DomainException}: 400 when there is no such spool (nothing was received), 413 {@code
   * too_large}, 422 {@code not_audio} with the decoder's reason, 409 when the name was taken
   * meanwhile. Whatever the outcome, the staging file is gone when it completes.
   */
  public CompletionStage<UploadReply> place(String id, String name, String origin) {
    Spool s = id == null ? null : spools.remove(id);
    if (s == null) {
      return CompletableFuture.failedFuture(
          DomainException.badRequest(
              "no upload body was received: PUT the file's bytes to /api/v1/library/uploads/"
                  + "NAME with Content-Type application/octet-stream or audio/*"));
    }
    if (s.refused != null) {
      return CompletableFuture.failedFuture(s.refused);
    }
    if (s.tooLarge || !s.name.equals(name) || !s.close()) {
      s.delete();
      return CompletableFuture.failedFuture(
          s.tooLarge ? tooLarge() : DomainException.badRequest("the upload was not received"));
    }
    CompletableFuture<UploadReply> done = new CompletableFuture<>();
    try {
      jobs.submit(
          "library.upload",
          "upload of " + name,
          origin,
          ctx -> {
            UploadReply reply;
            try {
              reply = run(ctx, s);
            } catch (Exception e) {
              s.delete();
              done.completeExceptionally(e);
              throw e;
            }
            s.delete(); // the staging name of a placed file: gone before the reply
            done.complete(reply);
          });
    } catch (RuntimeException e) {
      s.delete();
      return CompletableFuture.failedFuture(e);
    }
    return done;
  }

  private UploadReply run(JobContext ctx, Spool s) throws Exception {
    Path target = folder.resolve(s.name);
    if (isStemSet(s.name)) {
      placeSet(ctx, s, target);
    } else {
      decodeWhole(ctx, s.file, s.name);
      try {
        Files.createLink(target, s.file); // atomic, and never replaces a file
      } catch (FileAlreadyExistsException e) {
        throw taken(s.name);
      }
    }
    String trackId;
    try {
      trackId = scan(ctx, target);
    } catch (Exception e) {
      deleteTree(target); // a file or set the library could not take is not left behind
      throw e;
    }
    LibraryTrack track =
        library
            .read(c -> Library.tracksById(c, List.of(trackId)))
            .toCompletableFuture()
            .get()
            .get(0);
    String analysisJob =
        analysis
            .analyze(AnalyzeRequest.newBuilder().addTrackIds(trackId).build(), "upload")
            .getJobId();
    log.info("upload {}: {} bytes placed as {}", ctx.id(), s.bytes, target);
    return UploadReply.newBuilder()
        .setSeq(seq.getAsLong())
        .setTrack(track)
        .setJobId(ctx.id())
        .setAnalysisJobId(analysisJob)
        .setBytes(s.bytes)
        .build();
  }

  /**
   * A stem set: unpacks the spooled ZIP into a directory of its own in the staging folder, decodes
   * every stem whole through the player's stem decoder, then renames the directory into place. The
   * rename is atomic (nobody sees half a set) but would replace an empty directory, so it is done
   * under {@link #placing} after checking the name is free: this daemon is the only writer of the
   * uploads folder, and a set's name (ending .stems) is never a single file's.
   */
  private void placeSet(JobContext ctx, Spool s, Path target) throws Exception {
    Path unpacked = staging.resolve(s.id + ".d");
    try {
      Files.createDirectory(unpacked);
      StemArchive.unpack(s.file, unpacked, s.name);
      decodeWhole(ctx, unpacked, s.name);
      synchronized (placing) {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw taken(s.name);
        }
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteTree(unpacked); // gone already once placed
    }
  }

  /** Deletes a file, or a directory and everything in it (no links followed); quiet when absent. */
  static void deleteTree(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (var in = Files.list(p)) {
        for (Path c : in.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }

  /** Decodes every frame, reporting frames as progress; fails with {@code not_audio}. */
  private static void decodeWhole(JobContext ctx, Path file, String name) throws Exception {
    long frames = 0;
    try (Decoder d = Decoders.open(file, name)) {
      long total = d.format().frames();
      if (total > 0) {
        ctx.total(total);
      }
      int width = d.format().channels() * Math.max(1, d.stems() == null ? 1 : d.stems().count());
      float[] buf = new float[4096 * width];
      int n;
      while ((n = d.readStems(buf, 0, 4096)) > 0) {
        frames += n;
        ctx.progress(frames, name);
        ctx.checkCancelled();
      }
    } catch (IOException | RuntimeException e) {
      throw notAudio(name, e.getMessage() == null ? e.toString() : e.getMessage());
    }
    if (frames == 0) {
      throw notAudio(name, "it holds no audio frames");
    }
  }

  /** Scans the folder holding {@code target} inline, in this job; returns the new track's id. */
  private String scan(JobContext ctx, Path target) throws Exception {
    FolderScan.Folder f = library.folderHolding(target, folder);
    new FolderScan(library, List.of(f), false, library.scanPool()).run(ctx);
    String real = target.toRealPath().toString();
    return library
        .read(c -> Library.trackIdByPath(c, real))
        .toCompletableFuture()
        .get()
        .orElseThrow(
            () ->
                notAudio(
                    target.getFileName().toString(),
                    "the library could not read it (see GET /api/v1/library/errors)"));
  }

  private static DomainException notAudio(String name, String why) {
    return new DomainException(
        DomainException.Kind.UNPROCESSABLE,
        "not_audio",
        "upload '" + name + "' is not playable audio: " + why,
        Map.of("field", "body"));
  }

  static DomainException tooLarge() {
    return new DomainException(
        DomainException.Kind.TOO_LARGE,
        "too_large",
        "an upload may be at most " + MAX_BYTES + " bytes (512 MiB)",
        Map.of("max", Long.toString(MAX_BYTES)));
  }

  private static DomainException taken(String name) {
    return DomainException.conflict(
        "'" + name + "' exists in the uploads folder already; choose another name");
  }

  /** Uploads being received now, or waiting for their reply to start (for /metrics). */
  public int open() {
    return spools.size();
  }

  /**
   * One upload being received: its staging file. Written by the transport on the connection's event
   * loop, chunk by chunk; {@link #abandon} from any thread.
   */
  public final class Spool {
    private final String id;
    private final String name;
    private final Path file; // null when refused
    private final FileChannel channel;
    private final DomainException refused;
    private long bytes;
    private volatile boolean tooLarge;

    private Spool(String id, String name, Path file, FileChannel channel, DomainException refused) {
      this.id = id;
      this.name = name;
      this.file = file;
      this.channel = channel;
      this.refused = refused;
    }

    /** True once the route has taken this upload (or it was abandoned). */
    public boolean taken() {
      return spools.get(id) != this;
    }

    /** True when the upload was refused on arrival: its body is not kept. */
    public boolean refused() {
      return refused != null;
    }

    /** The id the route finds this spool by. */
    public String id() {
      return id;
    }

    /**
     * Appends {@code data} to the staging file. Returns false, and keeps nothing more, once the
     * upload has passed {@link #MAX_BYTES}: the route then answers 413.
     */
    public boolean write(ByteBuffer data) throws IOException {
      if (tooLarge || refused != null) {
        return false;
      }
      bytes += data.remaining();
      if (bytes > MAX_BYTES) {
        tooLarge = true;
        channel.close();
        Files.deleteIfExists(file);
        return false;
      }
      while (data.hasRemaining()) {
        channel.write(data);
      }
      return true;
    }

    /** Forces the file to disk and closes it; false when that failed (the upload is lost). */
    private boolean close() {
      try {
        if (channel.isOpen()) {
          channel.force(true);
          channel.close();
        }
        return true;
      } catch (IOException e) {
        log.warn("upload {}: could not write {}: {}", id, file, e.toString());
        return false;
      }
    }

    /**
     * Abandons the upload unless its route has taken it already (the connection ended before the
     * body did, or before the route ran): deletes the staging file and forgets the spool.
     */
    public void abandon() {
      if (spools.remove(id, this)) {
        delete();
      }
    }

    /** Closes and deletes the staging file, if any. Idempotent. */
    private void delete() {
      if (file == null) {
        return;
      }
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("upload {}: could not delete {}: {}", id, file, e.toString());
      }
    }
  }
}
