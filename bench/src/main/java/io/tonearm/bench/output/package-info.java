/**
 * Micro-benchmarks of the integer outputs' float-to-integer conversion, with and without dither.
 */
package io.tonearm.bench.output;
