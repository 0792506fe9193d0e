package io.tonearm.daemon.events;

import io.tonearm.proto.v1.Envelope;

/**
 * Publishes state-lane events. Implemented by the event hub; state owners (player, library,
 * jobs...) hold this interface only.
 *
 * <p>Thread-safe. Calls are serialized: seqs are assigned in call order, and each owner calls from
 * its own single thread, so one owner's events keep their order.
 */
public interface StateLane {

  /**
   * Assigns the next seq to {@code event}, stamps epoch and server time, keeps it in the history
   * ring and sends it to every subscriber of {@code topic}.
   *
   * @param topic a state topic
   * @param event the envelope with its body set (seq, epoch and time are filled in here)
   * @param snapshot the topic's whole state after this event, as an envelope body a new subscriber
   *     receives instead of the history (for example a {@code PlayerChanged} with cause SNAPSHOT);
   *     null for a topic that is a log rather than a state ({@code commands}): its subscribers get
   *     no snapshot
   * @return the seq given to the event
   */
  long publish(Topic topic, Envelope.Builder event, Envelope.Builder snapshot);

  /**
   * {@link #publish(Topic, Envelope.Builder, Envelope.Builder)} of an event of zone {@code zone}
   * ({@code Envelope.zone}; "" for a shared topic). The hub keeps each zone's snapshots apart; the
   * default sets the field and publishes.
   */
  default long publish(
      String zone, Topic topic, Envelope.Builder event, Envelope.Builder snapshot) {
    return publish(topic, event.setZone(zone), snapshot == null ? null : snapshot.setZone(zone));
  }

  /** Seq of the newest published event; 0 before the first. */
  long currentSeq();

  /**
   * Seq of the newest event of {@code topic} published through this lane (in its zone, for a {@link
   * Topic#zoned} topic); 0 when there was none in this epoch. The state a reply reports is current
   * as of it, so a command that changed nothing answers with it: a client that follows the topic
   * already has that event, while {@link #currentSeq()} can be another topic's event (another
   * zone's, or the {@code commands} log) that the client would wait for in vain.
   */
  long newestSeq(Topic topic);

  /**
   * Wraps a command's task, on the thread that hands the command over, so that when it runs the
   * fan-out's wake-ups for what it publishes are held (see {@link WakeHold}): until the reply the
   * handing-over edge has open is written, or else until the task ends. Publishing inside is
   * unchanged (seqs, history, snapshots). The default returns the task as it is.
   */
  default Runnable holdingWakes(Runnable task) {
    return task;
  }
}
