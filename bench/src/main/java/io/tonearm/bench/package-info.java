/**
 * Load generator and scenarios for the daemon: socket fan-out, command-to-event latency and resume
 * replay. Each scenario prints one line per run and the median over runs; the daemon under test
 * runs in its own JVM so that its CPU time can be read from {@code /proc}.
 */
package io.tonearm.bench;
