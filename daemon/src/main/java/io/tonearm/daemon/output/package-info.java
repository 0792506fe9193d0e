/**
 * Where played audio goes: sound devices, the null sink, a WAV recorder and the HTTP stream. A
 * paced output (a device, or the null sink that paces itself to real time) owns the playback clock:
 * frames played and latency; every position the player reports is read from it. Each output says at
 * which rate it opens for the rate asked ({@link io.tonearm.daemon.output.Output#rateFor}); the
 * engine resamples to it. Outputs are driven by the engine's single output thread.
 */
package io.tonearm.daemon.output;
