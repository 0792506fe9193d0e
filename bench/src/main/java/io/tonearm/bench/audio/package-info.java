/** Cost of the audio engine itself (decoder and output threads) for kinds of item. */
package io.tonearm.bench.audio;
