package io.tonearm.bench.sdk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.tonearm.proto.v1.Envelope;
import io.tonearm.proto.v1.PlayerChanged;
import io.tonearm.proto.v1.PlayerState;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Java SDK pays to parse one state event (a player event, 60-odd bytes, in a direct buffer
 * as Netty reads it): through an {@code InputStream} over the buffer, as the SDK did first; over
 * the buffer's {@code nioBuffer()}, as it did next; and from a copy of its bytes, as it does now
 * ({@code StreamHandler.parse}). Run with {@code -prof gc} for the bytes allocated per event
 * ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EnvelopeParseBench {

  private ByteBuf event;

  @Setup
  public void setup() {
    byte[] b =
        Envelope.newBuilder()
            .setSeq(300_001)
            .setEpoch("0123456789abcdef")
            .setServerTimeUs(1_733_400_000_000_000L)
            .setZone("default")
            .setPlayer(PlayerChanged.newBuilder().setState(PlayerState.newBuilder().setVolume(41)))
            .build()
            .toByteArray();
    event = Unpooled.directBuffer(b.length).writeBytes(b);
  }

  @TearDown
  public void tearDown() {
    event.release();
  }

  @Benchmark
  public Envelope throughAnInputStream() throws IOException {
    try (ByteBufInputStream in = new ByteBufInputStream(event.duplicate())) {
      return Envelope.parseFrom(in);
    }
  }

  @Benchmark
  public Envelope overTheBuffer() throws IOException {
    return Envelope.parseFrom(event.nioBuffer());
  }

  @Benchmark
  public Envelope overACopy() throws IOException {
    return Envelope.parseFrom(io.netty.buffer.ByteBufUtil.getBytes(event));
  }
}
