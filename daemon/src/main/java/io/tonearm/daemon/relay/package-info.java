/**
 * Past one machine: the origin publishes its state lane to a Redis Stream per zone (and frames to
 * Redis pub/sub), and relay processes follow it to serve the same event socket. The only package
 * that sees Lettuce. The stream's entry format is {@link io.tonearm.daemon.relay.StreamFormat}.
 */
package io.tonearm.daemon.relay;
