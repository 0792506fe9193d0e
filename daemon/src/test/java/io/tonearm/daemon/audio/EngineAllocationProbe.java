package io.tonearm.daemon.audio;

import io.tonearm.daemon.decode.Decoders;
import io.tonearm.daemon.dsp.PcmTap;
import io.tonearm.daemon.output.NullOutput;
import io.tonearm.daemon.output.Output;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Not a test: a probe that plays a synthesized WAV through the engine and prints wall time, CPU and
 * bytes allocated on the decoder and output threads. Usage (after a build): {@code java -cp
 * daemon/target/classes:daemon/target/test-classes:proto/target/classes:<protobuf-java.jar>
 * io.tonearm.daemon.audio.EngineAllocationProbe SECONDS [paced]}; "paced" plays through a real-time
 * NullOutput instead of a discarding sink; {@code -DoutputRate=48000} resamples to that rate.
 */
public final class EngineAllocationProbe {
  static final class Sink implements Output {
    volatile long w;
    float sum;

    public String id() {
      return "sink";
    }

    public String description() {
      return "discard";
    }

    public boolean paced() {
      return true;
    }

    public void open(int r, int c) {}

    public boolean isOpen() {
      return true;
    }

    public void write(float[] b, int o, int f) {
      sum += b[o];
      w += f;
    }

    public void pause() {}

    public void resume() {}

    public void flush() {}

    public void drain() {}

    public void close() {}

    public long framesWritten() {
      return w;
    }

    public long framesPlayed() {
      return w;
    }

    public long latencyMicros() {
      return 0;
    }
  }

  public static void main(String[] a) throws Exception {
    int rate = 44100, secs = Integer.parseInt(a[0]);
    Path f = Files.createTempFile("m", ".wav");
    int n = rate * secs * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + n * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952)
        .putInt(36 + n * 2)
        .putInt(0x45564157)
        .putInt(0x20746d66)
        .putInt(16)
        .putShort((short) 1)
        .putShort((short) 2)
        .putInt(rate)
        .putInt(rate * 4)
        .putShort((short) 4)
        .putShort((short) 16)
        .putInt(0x61746164)
        .putInt(n * 2);
    for (int i = 0; i < n; i++) b.putShort((short) (Math.sin(i * 0.01) * 10000));
    Files.write(f, b.array());
    for (int round = 0; round < (a.length > 1 ? 1 : 3); round++) {
      CountDownLatch end = new CountDownLatch(1);
      EngineListener l =
          new EngineListener() {
            public void decoderAdvanced(Play x, Play y) {}

            public void playFailed(Play p, String r) {}

            public void playStarted(Play p, long i, long h) {}

            public void endOfStream(long g) {
              end.countDown();
            }

            public void outputFailed(String o, String r) {}
          };
      AudioEngine e = new AudioEngine(PcmTap.NONE, l, 0.5f, Integer.getInteger("outputRate", 0));
      e.start();
      e.setOutputs(List.of(a.length > 1 ? new NullOutput() : new Sink())).get();
      Thread.sleep(100);
      var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long dec = 0, out = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("tonearm-decoder")) dec = t.getId();
        if (t.getName().equals("tonearm-output")) out = t.getId();
      }
      long d0 = mx.getThreadAllocatedBytes(dec), o0 = mx.getThreadAllocatedBytes(out);
      long c0 = mx.getThreadCpuTime(dec) + mx.getThreadCpuTime(out);
      long t0 = System.nanoTime();
      e.load(new Play(1, "x", 1f), Decoders.open(f), 0);
      e.setNext(1, null, null);
      end.await();
      long t1 = System.nanoTime();
      long d1 = mx.getThreadAllocatedBytes(dec), o1 = mx.getThreadAllocatedBytes(out);
      long c1 = mx.getThreadCpuTime(dec) + mx.getThreadCpuTime(out);
      long blocks = (long) secs * 50;
      System.out.printf(
          "round %d: %d s of 44.1k stereo in %.0f ms wall (%.0fx real time), engine CPU %.0f ms; allocated: decoder %d B, output %d B (%d blocks)%n",
          round,
          secs,
          (t1 - t0) / 1e6,
          secs * 1e9 / (t1 - t0),
          (c1 - c0) / 1e6,
          d1 - d0,
          o1 - o0,
          blocks);
      e.close();
    }
  }
}
