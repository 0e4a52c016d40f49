package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.util.ArrayList;
import java.util.List;

/**
 * Explain mode alongside a capture ({@link CaptureSpec#explainFirewall()}): one {@link NftExplain}
 * per network namespace (the JVM's own, then {@link CaptureSpec#explainNamespaces()}), whose drop
 * verdicts become {@code nftrace} journal entries; the analysis reads them back as FIREWALL
 * drop records naming table, chain, rule handle and comment.
 *
 * <pre>{@code
 * CaptureSpec.builder().explainFirewall("tcp dport 1433").explainNamespaces("db").build();
 * }</pre>
 */
public final class ExplainSidecar implements CaptureSidecar {

    /** Registered through META-INF/services; creates nothing unless explain mode is on. */
    public static final class Factory implements CaptureSidecar.Factory {
        @Override
        public CaptureSidecar create(CaptureSpec spec) {
            return spec.explainFirewall().isPresent() ? new ExplainSidecar() : null;
        }
    }

    private final List<NftExplain> explains = new ArrayList<>();
    private final List<Integer> emitted = new ArrayList<>();
    private String status = "firewall explain not started";

    ExplainSidecar() {
    }

    /** Starts a trace per namespace; a failure removes what was set up and is thrown (explain was asked for). */
    @Override
    public synchronized void start(CaptureSpec spec) {
        String match = spec.explainFirewall().orElseThrow();
        List<String> namespaces = new ArrayList<>();
        namespaces.add(null);
        namespaces.addAll(spec.explainNamespaces());
        try {
            for (String ns : namespaces) {
                explains.add(NftExplain.start(ns, match));
                emitted.add(0);
            }
        } catch (RuntimeException e) {
            close();
            throw e instanceof CaptureException ce ? ce
                    : new CaptureException("firewall explain mode could not start: " + e.getMessage(), e);
        }
        status = "firewall explain tracing \"" + match + "\" in the JVM's namespace"
                + (spec.explainNamespaces().isEmpty() ? "" : " and " + String.join(", ", spec.explainNamespaces()));
    }

    @Override
    public synchronized List<JournalFields> collect() {
        List<JournalFields> out = new ArrayList<>();
        for (int i = 0; i < explains.size(); i++) {
            List<NftExplain.Verdict> all = explains.get(i).verdicts();
            for (NftExplain.Verdict v : all.subList(emitted.get(i), all.size())) {
                out.add(entry(v, explains.get(i).namespace()));
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
                out.add(entry(v, explains.get(i).namespace()));
            }
            emitted.set(i, all.size());
            drops += all.size();
        }
        status = status.replace("firewall explain tracing", "firewall explain traced") + ": " + drops
                + (drops == 1 ? " drop verdict" : " drop verdicts");
        return out;
    }

    private static JournalFields entry(NftExplain.Verdict v, String namespace) {
        var fields = v.journalFields();
        fields.put("PCAPUNIT_NETNS", namespace == null ? "(JVM)" : namespace);
        return new JournalFields(v.time(), fields);
    }

    @Override
    public synchronized String status() {
        return status;
    }

    @Override
    public synchronized void close() {
        for (NftExplain e : explains) {
            e.close();
        }
    }
}
