/**
 * The player: the play queue with stable item ids, the state machine (stopped, playing, paused,
 * error), the commands that change them and the HTTP routes that carry those commands. Every
 * command runs on the player's single owner thread and yields its event through the state lane;
 * positions come from the audio engine's output clock. State is saved crash-safely in the data dir.
 */
package io.tonearm.daemon.player;
