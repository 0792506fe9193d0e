/**
 * Signal processing between the decoder and the outputs: software volume with a click-free ramp,
 * ReplayGain, and the tap through which the analysis stage sees exactly what is played. Stages
 * allocate in their constructors, never per block.
 */
package io.tonearm.daemon.dsp;
