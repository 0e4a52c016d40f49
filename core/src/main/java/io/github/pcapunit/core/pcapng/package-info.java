/**
 * <b>Layer 1, file format.</b> Reading, writing and converting pcap and pcapng files: the block and
 * option model ({@link io.github.pcapunit.core.pcapng.SectionHeader},
 * {@link io.github.pcapunit.core.pcapng.InterfaceDescription},
 * {@link io.github.pcapunit.core.pcapng.Packet}, {@link io.github.pcapunit.core.pcapng.JournalEntry}),
 * {@link io.github.pcapunit.core.pcapng.PcapReader}, {@link io.github.pcapunit.core.pcapng.PcapngWriter}
 * and {@link io.github.pcapunit.core.pcapng.PcapConversion}. This is the only pcap/pcapng code in
 * pcapunit; it depends on nothing but the JDK and the exception types of
 * {@code io.github.pcapunit.core}.
 *
 * <pre>{@code
 * try (PcapReader reader = PcapReader.open(Path.of("db.pcapng"))) {
 *     reader.packets().forEach(p -> System.out.println(p.time() + " " + p.originalLength()));
 * }
 * }</pre>
 */
package io.github.pcapunit.core.pcapng;
