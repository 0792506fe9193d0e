package io.tonearm.daemon.audio;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.StemLayout;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The decoder thread: reads the head play into the pipe and, at its end, goes straight on to the
 * primed next play (gapless). Owns every decoder handed to it and closes them.
 */
final class DecodeLoop implements Runnable {

  /**
   * The longest sleep: only mail or room in the pipe should wake the thread, this is a backstop.
   */
  private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

  /** Blocks hold 20 ms of audio so that the pipe's length in time does not depend on the rate. */
  private static final int BLOCKS_PER_SECOND = 50;

  private record Load(long generation, Play play, Decoder decoder, long startFrame) {}

  private record Next(long afterPlayId, Play play, Decoder decoder) {}

  private record Stop(long generation) {}

  private final BlockPipe pipe;
  private final EngineListener listener;
  private final ConcurrentLinkedQueue<Object> mailbox = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  private long generation;
  private Play head;
  private Decoder headDecoder;
  private long headFrame;
  private boolean headStartPending;
  private boolean headEnded;
  private boolean nextKnown;
  private Play next;
  private Decoder nextDecoder;

  DecodeLoop(BlockPipe pipe, EngineListener listener) {
    this.pipe = pipe;
    this.listener = listener;
  }

  void load(long generation, Play play, Decoder decoder, long startFrame) {
    mailbox.add(new Load(generation, play, decoder, startFrame));
    pipe.wakeProducer();
  }

  void next(long afterPlayId, Play play, Decoder decoder) {
    mailbox.add(new Next(afterPlayId, play, decoder));
    pipe.wakeProducer();
  }

  void stop(long generation) {
    mailbox.add(new Stop(generation));
    pipe.wakeProducer();
  }

  void close() {
    closed = true;
    pipe.wakeProducer();
  }

  @Override
  public void run() {
    pipe.bindProducer();
    try {
      while (!closed) {
        drainMailbox();
        if (headDecoder == null) {
          sleepUntilMail();
          continue;
        }
        PcmBlock block = pipe.claim();
        if (block == null) {
          pipe.awaitRoom(MAX_SLEEP_NANOS); // half the pipe drains before the next burst
          continue;
        }
        fill(block);
      }
    } finally {
      closeHead();
      closeNext();
      for (Object o; (o = mailbox.poll()) != null; ) {
        discard(o);
      }
    }
  }

  private void fill(PcmBlock block) {
    int channels = headDecoder.format().channels();
    int rate = headDecoder.format().sampleRate();
    StemLayout stems = headDecoder.stems();
    int width = stems == null ? channels : channels * stems.count();
    int max = Math.max(1, Math.min(PcmBlock.CAPACITY / width, rate / BLOCKS_PER_SECOND));
    int n = -1;
    if (!headEnded) {
      try {
        n =
            stems == null
                ? headDecoder.read(block.samples, 0, max)
                : headDecoder.readStems(block.samples, 0, max);
        String problem = headDecoder.takeProblem();
        if (problem != null) {
          listener.playDamaged(head, problem);
        }
      } catch (IOException | RuntimeException e) {
        listener.playFailed(head, String.valueOf(e.getMessage()));
      }
      headEnded = n <= 0; // an end or an error is reported once, not at every look
    }
    if (n > 0) {
      float gain = head.gain();
      if (gain != 1f) {
        for (int i = 0, s = n * width; i < s; i++) {
          block.samples[i] *= gain;
        }
      }
      block.kind = headStartPending ? PcmBlock.START : PcmBlock.DATA;
      block.frames = n;
      block.channels = channels;
      block.stems = stems;
      block.sampleRate = rate;
      block.generation = generation;
      block.play = head;
      block.itemFrame = headFrame;
      headFrame += n;
      headStartPending = false;
      pipe.publish();
      return;
    }
    if (!nextKnown) {
      sleepUntilMail(); // the player has not said yet what follows; it will
      return;
    }
    Play ended = head;
    closeHead();
    if (nextDecoder != null) {
      head = next;
      headDecoder = nextDecoder;
      headFrame = 0;
      headStartPending = true;
      headEnded = false;
      next = null;
      nextDecoder = null;
      nextKnown = false;
      listener.decoderAdvanced(ended, head);
    } else {
      nextKnown = false;
      block.kind = PcmBlock.END;
      block.frames = 0;
      block.generation = generation;
      block.play = ended;
      pipe.publish();
    }
  }

  private void sleepUntilMail() {
    if (mailbox.isEmpty() && !closed) {
      LockSupport.parkNanos(this, MAX_SLEEP_NANOS);
    }
  }

  private void drainMailbox() {
    for (Object o; (o = mailbox.poll()) != null; ) {
      if (o instanceof Load l) {
        closeHead();
        closeNext();
        generation = l.generation;
        head = l.play;
        headDecoder = l.decoder;
        headFrame = l.startFrame;
        headStartPending = true;
        headEnded = false;
      } else if (o instanceof Next n) {
        if (head != null && headDecoder != null && n.afterPlayId == head.playId()) {
          closeNext();
          next = n.play;
          nextDecoder = n.decoder;
          nextKnown = true;
        } else {
          discard(n); // the decoder moved on meanwhile; the player will send a fresh one
        }
      } else if (o instanceof Stop s) {
        generation = s.generation;
        closeHead();
        closeNext();
      }
    }
  }

  private void closeHead() {
    closeQuietly(headDecoder);
    headDecoder = null;
    head = null;
  }

  private void closeNext() {
    closeQuietly(nextDecoder);
    nextDecoder = null;
    next = null;
    nextKnown = false;
  }

  private static void discard(Object o) {
    if (o instanceof Load l) {
      closeQuietly(l.decoder);
    } else if (o instanceof Next n) {
      closeQuietly(n.decoder);
    }
  }

  private static void closeQuietly(Decoder d) {
    if (d != null) {
      try {
        d.close();
      } catch (IOException e) {
        // Nothing to recover: the file was only being read.
      }
    }
  }
}
