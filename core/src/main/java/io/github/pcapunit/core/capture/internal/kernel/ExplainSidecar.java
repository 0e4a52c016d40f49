package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import io.github.pcapunit.core.capture.internal.netns.Namespaces;
import io.github.pcapunit.core.capture.internal.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.github.pcapunit.core.pcapng.JournalKey;

/**
 * Explain mode alongside a capture ({@link CaptureSpec#explainFirewall()}): one {@link NftExplain}
 * per network namespace (the JVM's own, then {@link CaptureSpec#explainNamespaces()}, then each
 * capture point's, e.g. a container's, named by the point's label), whose drop
 * verdicts become {@code nftrace} journal entries; the analysis reads them back as FIREWALL
 * drop records naming table, chain, rule handle and comment.
 *
 * <pre>{@code
 * CaptureSpec.builder().explainFirewall("tcp dport 1433").explainNamespaces("db").build();
 * }</pre>
 */
public final class ExplainSidecar implements CaptureSidecar {

    private final List<NftExplain> explains = new ArrayList<>();
    /** Per explain: the namespace's name in journal entries (null: the JVM's own). */
    private final List<String> labels = new ArrayList<>();
    private final List<Integer> emitted = new ArrayList<>();
    private SourceStatus status = SourceStatus.failed(Source.FIREWALL_EXPLAIN, "firewall explain was not started");

    /** A sidecar for a spec with {@link CaptureSpec#explainFirewall()} set. */
    public ExplainSidecar() {
    }

    /** Starts a trace per namespace; a failure removes what was set up and is thrown (explain was asked for). */
    @Override
    public synchronized void start(CaptureSpec spec) {
        String match = spec.explainFirewall().orElseThrow();
        List<String> namespaces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        namespaces.add(null);
        names.add(null);
        namespaces.addAll(spec.explainNamespaces());
        names.addAll(spec.explainNamespaces());
        try {
            // the firewalls where the capture points are: a point's namespace by its nsfs path
            for (var point : spec.points()) {
                if (!spec.explainNamespaces().contains(point.target())) {
                    NetNamespace ns = Namespaces.resolve(point);
                    namespaces.add(ns.nsfs().toString());
                    names.add(ns.label());
                }
            }
            for (int i = 0; i < namespaces.size(); i++) {
                explains.add(NftExplain.start(namespaces.get(i), match));
                labels.add(names.get(i));
                emitted.add(0);
            }
        } catch (RuntimeException e) {
            close();
            throw e instanceof CaptureException ce ? ce
                    : new CaptureException("firewall explain mode could not start: " + e.getMessage(), e);
        }
        List<String> others = names.subList(1, names.size());
        status = SourceStatus.recorded(Source.FIREWALL_EXPLAIN).withScope("\"" + match + "\" in the JVM's namespace"
                + (others.isEmpty() ? "" : " and " + String.join(", ", others)));
    }

    @Override
    public synchronized List<JournalFields> collect() {
        List<JournalFields> out = new ArrayList<>();
        for (int i = 0; i < explains.size(); i++) {
            List<NftExplain.Verdict> all = explains.get(i).verdicts();
            for (NftExplain.Verdict v : all.subList(emitted.get(i), all.size())) {
                out.add(entry(v, labels.get(i)));
            }
            emitted.set(i, all.size());
        }
        return out;
    }

    @Override
    public synchronized List<JournalFields> stop() {
        int drops = 0;
        List<JournalFields> out = new ArrayList<>();
        for (int i = 0; i < explains.size(); i++) {
            List<NftExplain.Verdict> all = explains.get(i).stop();
            for (NftExplain.Verdict v : all.subList(Math.min(emitted.get(i), all.size()), all.size())) {
                out.add(entry(v, labels.get(i)));
            }
            emitted.set(i, all.size());
            drops += all.size();
        }
        if (status.recorded()) {
            status = status.withCounts(drops, 0);
        }
        return out;
    }

    private static JournalFields entry(NftExplain.Verdict v, String namespace) {
        Map<String, String> fields = v.journalFields();
        fields.put(JournalKey.PCAPUNIT_NETNS.fieldName(), namespace == null ? "(JVM)" : namespace);
        return new JournalFields(v.time(), fields);
    }

    @Override
    public synchronized SourceStatus status() {
        return status;
    }

    @Override
    public synchronized void close() {
        for (NftExplain e : explains) {
            e.close();
        }
    }
}
