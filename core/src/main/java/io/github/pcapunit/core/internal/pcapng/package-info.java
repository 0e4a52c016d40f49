/**
 * pcap/pcapng reading and writing and pcap→pcapng conversion. <strong>Not API</strong>: use
 * {@link io.github.pcapunit.core.PcapReader}, {@link io.github.pcapunit.core.PcapngWriter} and
 * {@link io.github.pcapunit.core.PcapConversion} instead.
 */
package io.github.pcapunit.core.internal.pcapng;
