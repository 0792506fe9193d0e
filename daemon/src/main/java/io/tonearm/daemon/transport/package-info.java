/** The one Netty server: the listening socket and the pipeline every connection runs through. */
package io.tonearm.daemon.transport;
