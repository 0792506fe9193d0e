/**
 * The event hub: the state lane (seq per epoch, history ring, snapshots, resume) and the frame lane
 * (one stream per distinct view, rendered and encoded once per tick). Netty-free: the socket
 * fan-out lives in {@code transport.ws}.
 */
package io.tonearm.daemon.events;
