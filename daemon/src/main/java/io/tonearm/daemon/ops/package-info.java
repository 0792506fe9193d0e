/** Operations: Prometheus metrics and the JSON of /health. */
package io.tonearm.daemon.ops;
