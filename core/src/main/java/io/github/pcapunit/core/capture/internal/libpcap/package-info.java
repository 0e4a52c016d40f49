/**
 * The adapter over libpcap (through pcap4j and JNA): the only package where their types appear.
 * <strong>Not API.</strong>
 */
package io.github.pcapunit.core.capture.internal.libpcap;
