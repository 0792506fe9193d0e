/** Settings from flags, environment and a properties file, with every bound and its default. */
package io.tonearm.daemon.config;
