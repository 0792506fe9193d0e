package io.tonearm.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.Hello;
import io.tonearm.proto.v1.PlayerChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawResumeTest {

  private static long[] scan(Envelope e) {
    return RawResume.scan(Unpooled.wrappedBuffer(e.toByteArray()));
  }

  @Test
  void readsTheSeqAndBodyOfAStateEventWithoutAParser() {
    Envelope e =
        Envelope.newBuilder()
            .setSeq(300_001)
            .setEpoch("e1")
            .setServerTimeUs(1_733_400_000_000_000L)
            .setZone("default")
            .setPlayer(PlayerChanged.getDefaultInstance())
            .build();
    assertArrayEquals(new long[] {300_001, 20, 0}, scan(e));
  }

  @Test
  void readsWhetherAHelloRecovered() {
    Hello.Builder h =
        Hello.newBuilder()
            .setEpoch("e1")
            .setSeq(42)
            .setServerVersion("0.1.0")
            .addCapabilities("zones")
            .setConnectionId("ws:7");
    assertArrayEquals(
        new long[] {0, 10, 1}, scan(Envelope.newBuilder().setHello(h.setRecovered(true)).build()));
    assertArrayEquals(
        new long[] {0, 10, 0}, scan(Envelope.newBuilder().setHello(h.setRecovered(false)).build()));
  }

  @Test
  void daemonJvmOptionsSplitAtSpacesAndReadmeNamesTheReadmeOnes() {
    assertEquals(List.of(), DaemonTarget.daemonJvm(new Args(new String[] {"resume"}, 1)));
    assertEquals(
        List.of("-XX:+UseSerialGC", "-Xmx64m"),
        DaemonTarget.daemonJvm(
            new Args(new String[] {"resume", "--daemon-jvm", " -XX:+UseSerialGC  -Xmx64m"}, 1)));
    assertEquals(
        List.of(PlayCpuBench.README_JAVA_OPTS.split(" ")),
        DaemonTarget.daemonJvm(new Args(new String[] {"resume", "--daemon-jvm", "readme"}, 1)));
  }
}
