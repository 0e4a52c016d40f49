/**
 * pcapunit's own packet header decoder (link layer, IPv4/IPv6, TCP, UDP, ICMP/ICMPv6), decoding
 * into a reusable mutable record without per-packet allocation. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.packet.internal;
