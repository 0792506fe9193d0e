/** Microbenchmarks of the Java SDK's own costs (JMH). */
package io.tonearm.bench.sdk;
