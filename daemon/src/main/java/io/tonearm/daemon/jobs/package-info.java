/**
 * One framework for long work (library scans, loudness analysis, waveforms): a bounded worker pool
 * runs {@link io.tonearm.daemon.jobs.JobBody job bodies}, tracks their progress, rate, ETA and
 * errors, honours cancel requests and publishes every change on the {@code jobs} state topic, with
 * progress events limited to four per second per job.
 */
package io.tonearm.daemon.jobs;
