/** The built-in demo library, synthesized at first start. */
package io.tonearm.daemon.demo;
