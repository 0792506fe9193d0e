package io.tonearm.daemon.audio;

/**
 * One scheduled playing of a queue item. The same item played twice (repeat) gets two plays, so
 * that a report about a play is never mistaken for another.
 *
 * @param playId unique within the engine's life, assigned by the player
 * @param itemId the queue item's stable id
 * @param gain linear ReplayGain factor applied by the decoder thread (1 for none)
 */
public record Play(long playId, String itemId, float gain) {}
