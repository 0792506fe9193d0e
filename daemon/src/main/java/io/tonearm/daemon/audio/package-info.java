/**
 * The audio engine: a decoder thread fills a bounded pipe of preallocated PCM blocks about two
 * seconds ahead, and an output thread drains it through rate conversion (to the clock output's
 * rate, and on to any output of another rate), volume and the analysis tap into the outputs. The
 * engine only executes what the player asks (load, prime next, pause, stop) and reports back what
 * it heard; it keeps no queue logic of its own.
 */
package io.tonearm.daemon.audio;
