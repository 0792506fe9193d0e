/**
 * JMH micro-benchmarks of the analysis stage: one spectrum tick (FFT, view, encode), meters per
 * played frame, waveform overview and offline loudness speed as multiples of real time.
 */
package io.tonearm.bench.analysis;
