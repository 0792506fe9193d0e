/**
 * Operations: Prometheus metrics, the JSON of /health, logging, and the executors whose thread ends
 * when idle.
 */
package io.tonearm.daemon.ops;
