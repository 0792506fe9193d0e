/**
 * The settings topic: the enhancement chain's presets, intensity and custom chain, and saved
 * presets, checked against their stated ranges, applied to the output path's chain, published on
 * the state lane and saved in the data dir. Proto types stop here; the chain sees engine records.
 */
package io.tonearm.daemon.settings;
