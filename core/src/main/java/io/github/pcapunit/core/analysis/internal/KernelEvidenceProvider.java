package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.internal.kernel.KernelDrop;
import io.github.pcapunit.core.capture.internal.kernel.KernelJournal;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Drop records with source KERNEL (from kfree_skb: eBPF records with the packet's own headers,
 * namespace and hook, {@link Confidence#OBSERVED}; tracefs records correlated with TCP events,
 * {@link Confidence#INFERRED}) and FIREWALL (from nftrace
 * verdicts) rebuilt from the journal entries of a pcapng, so a file read later gives the live
 * verdict. One of {@link EvidenceProviders#all()}.
 *
 * <pre>{@code
 * List<Drop> drops = new KernelEvidenceProvider().drops(context);
 * }</pre>
 */
public final class KernelEvidenceProvider implements EvidenceProvider {

    /**
     * {@inheritDoc}
     *
     * @throws CaptureException when a pcapunit kernel or firewall entry is malformed (it names the
     *         entry and field): a damaged record is reported, not read as "no drop"
     */
    @Override
    public List<Drop> drops(AnalysisContext context) {
        List<Drop> drops = new ArrayList<>();
        for (JournalEntry e : context.journal()) {
            if (e.isEvent(KernelJournal.NFTRACE)) {
                // One entry at a time, to keep the namespace the explain sidecar traced in.
                for (KernelJournal.FirewallVerdict v : KernelJournal.firewallVerdicts(List.of(e))) {
                    drops.add(toDrop(v).toBuilder().namespace(e.get(JournalKey.PCAPUNIT_NETNS).orElse(null)).build());
                }
            }
        }
        for (KernelDrop d : KernelJournal.drops(context.journal())) {
            drops.add(toDrop(d));
        }
        return drops;
    }

    /** The public drop record of a kernel drop. */
    static Drop toDrop(KernelDrop d) {
        Drop.Builder b = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL)
                .reason(d.reason()).component(d.component())
                .location(d.location().isEmpty() ? null : d.location()) // an event without one states none
                .times(d.times()).count(d.count()).description(d.line());
        d.flow().ifPresent(b::flow);
        if (!d.processName().isEmpty()) {
            b.process(d.processName(), d.pid());
        }
        if (!d.hook().isEmpty()) {
            b.hook(d.hook());
        }
        if (!d.namespace().isEmpty()) {
            b.namespace(d.namespace());
        }
        b.ttl(d.ttl());
        // eBPF read the packet itself; tracefs tied it to a flow and process by time and CPU
        b.recorded(d.observed() ? "eBPF" : "tracefs", d.observed() ? Confidence.OBSERVED : Confidence.INFERRED);
        return b.build();
    }

    /** The public drop record of a firewall verdict. */
    static Drop toDrop(KernelJournal.FirewallVerdict v) {
        Drop.Builder b = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.FIREWALL)
                .reason("NETFILTER_DROP").component("netfilter (nftables)")
                .firewallRule(new Drop.FirewallRule(v.table(), v.chain(), v.handle(), v.comment().orElse(null)))
                .time(v.time()).description(v.description());
        v.flow().ifPresent(b::flow);
        return b.build();
    }
}
