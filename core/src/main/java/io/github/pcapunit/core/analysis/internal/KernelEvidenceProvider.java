package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.capture.internal.kernel.KernelDrop;
import io.github.pcapunit.core.capture.internal.kernel.KernelJournal;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.analysis.internal.AnalysisContext;
import io.github.pcapunit.core.analysis.internal.EvidenceProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drop records with source KERNEL (from kfree_skb and TCP events) and FIREWALL (from nftrace
 * verdicts) rebuilt from the journal entries of a pcapng, so a file read later gives the live
 * verdict. Registered through META-INF/services.
 */
public final class KernelEvidenceProvider implements EvidenceProvider {

    @Override
    public List<Drop> drops(AnalysisContext context) {
        List<Map<String, String>> entries = new ArrayList<>();
        List<Drop> drops = new ArrayList<>();
        for (JournalEntry entry : context.journal()) {
            Map<String, String> fields = new LinkedHashMap<>(entry.fields());
            long micros = entry.timestamp().getEpochSecond() * 1_000_000L + entry.timestamp().getNano() / 1000;
            fields.put(JournalEntry.REALTIME_TIMESTAMP, Long.toString(micros));
            entries.add(fields);
            if ("nftrace".equals(fields.get("PCAPUNIT_EVENT"))) {
                firewallDrop(entry, fields).ifPresent(drops::add);
            }
        }
        try {
            for (KernelDrop d : KernelJournal.drops(entries)) {
                drops.add(toDrop(d));
            }
        } catch (RuntimeException e) {
            // Odd or foreign journal entries: no kernel evidence rather than a failed analysis.
        }
        return drops;
    }

    /** The public drop record of a kernel drop. */
    static Drop toDrop(KernelDrop d) {
        Drop.Builder b = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL)
                .reason(d.reason()).component(d.component()).location(d.location())
                .times(d.times()).description(d.line());
        if (d.hasFlow()) {
            b.flow(Flow.of(IpProtocol.TCP, Endpoint.of(d.saddr(), Math.max(d.sport(), 0)),
                    Endpoint.of(d.daddr(), Math.max(d.dport(), 0))));
        }
        if (!d.processName().isEmpty()) {
            b.process(d.processName(), d.pid());
        }
        return b.build();
    }

    private static java.util.Optional<Drop> firewallDrop(JournalEntry entry, Map<String, String> f) {
        try {
            Drop.Builder b = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.FIREWALL)
                    .reason("NETFILTER_DROP").component("netfilter (nftables)")
                    .firewallRule(new Drop.FirewallRule(f.getOrDefault("PCAPUNIT_NFT_TABLE", "?"),
                            f.getOrDefault("PCAPUNIT_NFT_CHAIN", "?"),
                            Long.parseLong(f.getOrDefault("PCAPUNIT_NFT_HANDLE", "-1")),
                            f.getOrDefault("PCAPUNIT_NFT_COMMENT", "").isEmpty() ? null : f.get("PCAPUNIT_NFT_COMMENT")))
                    .time(entry.timestamp()).description(f.getOrDefault(JournalEntry.MESSAGE, "firewall drop"));
            String protocol = f.getOrDefault("PCAPUNIT_PROTOCOL", "");
            if (f.containsKey("PCAPUNIT_SADDR") && f.containsKey("PCAPUNIT_DADDR")) {
                IpProtocol p = switch (protocol) {
                    case "tcp" -> IpProtocol.TCP;
                    case "udp" -> IpProtocol.UDP;
                    case "icmp" -> IpProtocol.ICMP;
                    case "ipv6-icmp", "icmpv6" -> IpProtocol.ICMPV6;
                    default -> IpProtocol.OTHER;
                };
                int sport = Integer.parseInt(f.getOrDefault("PCAPUNIT_SPORT", "-1"));
                int dport = Integer.parseInt(f.getOrDefault("PCAPUNIT_DPORT", "-1"));
                b.flow(Flow.of(p, Endpoint.of(f.get("PCAPUNIT_SADDR"), sport), Endpoint.of(f.get("PCAPUNIT_DADDR"), dport)));
            }
            return java.util.Optional.of(b.build());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
