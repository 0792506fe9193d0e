/**
 * Who may do what: access tokens with scopes (stored as keyed hashes), one-use socket tickets, the
 * loopback trust rule, rate limits for commands and for failed authentications, and the audit log.
 * Nothing here sees Netty or protobuf wire types but the token API's messages.
 */
package io.tonearm.daemon.access;
