package io.tonearm.daemon;

import static io.tonearm.daemon.testing.TestDaemons.get;
import static io.tonearm.daemon.testing.TestDaemons.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tonearm.daemon.audio.GaplessJoint;
import io.tonearm.daemon.config.Config;
import io.tonearm.daemon.testing.TestDaemons;
import io.tonearm.proto.v1.QueueItem;
import io.tonearm.proto.v1.QueueReply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wiring: what one capability sees of another. */
class DaemonTest {

  @TempDir Path dir;

  @Test
  void aFolderAddedAtRunTimeOrKeptFromAnEarlierRunIsPlayable() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    Path tone = GaplessJoint.fixture("1s_440Hz_44k1_mono_16bit.wav");
    Files.copy(tone, a.resolve("in-a.wav"));
    Files.copy(tone, b.resolve("in-b.wav"));
    try (Daemon d = TestDaemons.settled(Config.defaults(0, data).withMusic(List.of(a)))) {
      HttpResponse<String> added =
          post(d.port(), "/api/v1/library/folders", "{\"path\": \"" + b + "\"}");
      assertEquals(201, added.statusCode(), added.body());
      HttpResponse<String> queued =
          post(
              d.port(), "/api/v1/queue/append", "{\"paths\": [\"" + b.resolve("in-b.wav") + "\"]}");
      assertEquals(200, queued.statusCode(), queued.body());
      HttpResponse<String> relative =
          post(d.port(), "/api/v1/queue/append", "{\"paths\": [\"in-b.wav\"]}");
      assertEquals(200, relative.statusCode(), relative.body());
    }
    // The next run names only b: a is kept in the library from the earlier run, so it plays too.
    try (Daemon d = TestDaemons.settled(Config.defaults(0, data).withMusic(List.of(b)))) {
      assertTrue(get(d.port(), "/api/v1/queue").body().contains("in-b.wav"), "restored queue");
      HttpResponse<String> queued =
          post(
              d.port(), "/api/v1/queue/append", "{\"paths\": [\"" + a.resolve("in-a.wav") + "\"]}");
      assertEquals(200, queued.statusCode(), queued.body());
      HttpResponse<String> outside =
          post(d.port(), "/api/v1/queue/append", "{\"paths\": [\"" + tone + "\"]}");
      assertEquals(403, outside.statusCode(), outside.body());
    }
  }

  @Test
  void theDemoQueueTakesCatalogDataOnceTheFirstScanStoresItsFiles() throws Exception {
    // First start: the demo pieces are queued while the first scan is still reading them.
    try (Daemon d = TestDaemons.settled(Config.defaults(0, dir.resolve("data")))) {
      QueueReply.Builder q = QueueReply.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(get(d.port(), "/api/v1/queue").body(), q);
      assertTrue(q.getQueue().getItemsCount() > 0, "demo queue");
      for (QueueItem item : q.getQueue().getItemsList()) {
        assertFalse(item.getTrack().getTrackId().isEmpty(), "no track id: " + item);
      }
    }
  }
}
