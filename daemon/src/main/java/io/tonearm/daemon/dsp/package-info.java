/**
 * Signal processing between the decoders and the outputs: sample-rate conversion ({@link
 * io.tonearm.daemon.dsp.Resampler}) and the tap through which analysis sees exactly what is played
 * ({@link io.tonearm.daemon.dsp.PcmTap}). Stages allocate in their constructors and never per
 * block; each is owned by one audio thread.
 */
package io.tonearm.daemon.dsp;
