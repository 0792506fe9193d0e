package io.tonearm.daemon.audio;

import io.tonearm.daemon.decode.Decoder;
import io.tonearm.daemon.decode.StemLayout;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The decoder thread: reads the head play into the pipe and, at its end, goes straight on to the
 * primed next play (gapless). Owns every decoder handed to it and closes them.
 *
 * <p>A crossfade ({@link Transition} with an overlap) makes the next play the head as soon as the
 * head has only the overlap left: from there each block holds the new play's frames (its START
 * block first, so positions and analysis follow the new play from its frame 0) with the old play's
 * last frames mixed in by {@link Overlap}. The overlap needs both lengths known and the same rate
 * and channels and no stems; it is at most half of either item, so two overlaps never meet.
 * Otherwise the join is gapless. Since an overlap may start up to {@link
 * Transition#MAX_OVERLAP_SECONDS} before the end, the decoder waits there (not at the end) for the
 * player to say what follows.
 */
final class DecodeLoop implements Runnable {

  /**
   * The longest sleep: only mail or room in the pipe should wake the thread, this is a backstop.
   */
  private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

  /** Blocks hold 20 ms of audio so that the pipe's length in time does not depend on the rate. */
  private static final int BLOCKS_PER_SECOND = 50;

  private record Load(long generation, Play play, Decoder decoder, long startFrame) {}

  private record Next(long afterPlayId, Play play, Decoder decoder, Transition transition) {}

  private record Stop(long generation) {}

  private record Release() {}

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
  private Transition transition = Transition.GAPLESS;
  private final Overlap overlap = new Overlap();

  /** A release was asked for and the pipe still held blocks then; decoder thread only. */
  private boolean releasePending;

  DecodeLoop(BlockPipe pipe, EngineListener listener) {
    this.pipe = pipe;
    this.listener = listener;
  }

  void load(long generation, Play play, Decoder decoder, long startFrame) {
    mailbox.add(new Load(generation, play, decoder, startFrame));
    pipe.wakeProducer();
  }

  void next(long afterPlayId, Play play, Decoder decoder, Transition transition) {
    mailbox.add(new Next(afterPlayId, play, decoder, transition));
    pipe.wakeProducer();
  }

  void stop(long generation) {
    mailbox.add(new Stop(generation));
    pipe.wakeProducer();
  }

  /**
   * Drops the pipe's blocks once the output has drained it, unless a load comes first (see {@link
   * BlockPipe#dropBlocks}); any thread, after a stop.
   */
  void release() {
    mailbox.add(new Release());
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
          if (releasePending && pipe.size() == 0) {
            pipe.dropBlocks();
            releasePending = false;
          }
          sleepUntilMail(); // the backstop looks again at a pipe still draining
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
      overlap.close();
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
    if (!nextKnown && !headEnded && holdAt() >= 0 && headFrame >= holdAt()) {
      sleepUntilMail(); // an overlap may start before here: wait to hear what follows
      return;
    }
    long fadeAt = headEnded ? -1 : fadeStart();
    if (fadeAt >= 0 && headFrame >= fadeAt) {
      beginFade(); // the slot stays claimed: the next round fills it with the new head
      return;
    }
    if (fadeAt >= 0) {
      max = (int) Math.min(max, fadeAt - headFrame);
    } else if (!nextKnown && holdAt() > headFrame) {
      max = (int) Math.min(max, holdAt() - headFrame);
    }
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
      if (overlap.active()) {
        overlap.mixInto(block.samples, n, channels);
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
    overlap.close(); // the new head ended within its own fade-in: the old one ends with it
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

  /**
   * The head frame where a crossfade into the primed next play starts, or -1 when the join is
   * gapless (no overlap asked, a length unknown, another format, or a fade still running).
   */
  private long fadeStart() {
    if (!nextKnown
        || nextDecoder == null
        || transition.overlapSeconds() <= 0
        || overlap.active()
        || headDecoder.stems() != null
        || nextDecoder.stems() != null) {
      return -1; // stems are mixed on the output thread: a stem item joins gaplessly
    }
    var a = headDecoder.format();
    var b = nextDecoder.format();
    if (a.frames() < 0
        || b.frames() < 0
        || a.sampleRate() != b.sampleRate()
        || a.channels() != b.channels()) {
      return -1;
    }
    long frames = Math.round(transition.overlapSeconds() * a.sampleRate());
    frames = Math.min(frames, Math.min(a.frames() / 2, b.frames() / 2));
    return frames <= 0 ? -1 : a.frames() - frames;
  }

  /**
   * Where the head stops while the player has not said what follows, since the longest overlap
   * could start there; -1 when the head's length is unknown (it can have no overlap).
   */
  private long holdAt() {
    var f = headDecoder.format();
    if (f.frames() < 0) {
      return -1;
    }
    long most = Math.round(Transition.MAX_OVERLAP_SECONDS * f.sampleRate());
    return f.frames() - Math.min(most, f.frames() / 2);
  }

  /** The head has only its overlap left: the next play becomes the head, the old one fades out. */
  private void beginFade() {
    Play ended = head;
    long left = headDecoder.format().frames() - headFrame;
    overlap.begin(head, headDecoder, Math.max(0, left), transition.fade());
    head = next;
    headDecoder = nextDecoder;
    headFrame = 0;
    headStartPending = true;
    headEnded = false;
    next = null;
    nextDecoder = null;
    nextKnown = false;
    transition = Transition.GAPLESS;
    listener.decoderAdvanced(ended, head);
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
        overlap.close();
        generation = l.generation;
        head = l.play;
        headDecoder = l.decoder;
        headFrame = l.startFrame;
        headStartPending = true;
        headEnded = false;
        releasePending = false;
      } else if (o instanceof Release) {
        releasePending = headDecoder == null;
      } else if (o instanceof Next n) {
        if (head != null && headDecoder != null && n.afterPlayId == head.playId()) {
          closeNext();
          next = n.play;
          nextDecoder = n.decoder;
          transition = n.transition;
          nextKnown = true;
        } else {
          discard(n); // the decoder moved on meanwhile; the player will send a fresh one
        }
      } else if (o instanceof Stop s) {
        generation = s.generation;
        closeHead();
        closeNext();
        overlap.close();
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
    transition = Transition.GAPLESS;
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
