/**
 * Signal processing between the decoder and the outputs: the output path's {@link
 * io.tonearm.daemon.dsp.Stage}s (the {@link io.tonearm.daemon.dsp.Enhancement} chain of gain,
 * equaliser, compressor, width and true-peak limiter, then the software volume with ReplayGain),
 * and the tap through which the analysis stage sees exactly what is played. Stages allocate when
 * prepared for a format, never per block. No protobuf type is seen here.
 */
package io.tonearm.daemon.dsp;
