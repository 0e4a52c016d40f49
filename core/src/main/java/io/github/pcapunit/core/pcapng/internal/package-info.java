/**
 * Block codecs behind {@code io.github.pcapunit.core.pcapng}: the record cursors, the block writer,
 * pcap-to-pcapng conversion and the journal entry form. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.pcapng.internal;
