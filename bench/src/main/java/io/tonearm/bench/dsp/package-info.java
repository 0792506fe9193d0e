/** Cost of the output path's enhancement chain per stream: CPU, allocation and latency. */
package io.tonearm.bench.dsp;
