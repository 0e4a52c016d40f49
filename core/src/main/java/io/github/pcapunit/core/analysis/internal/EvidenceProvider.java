package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Drop;
import java.util.List;

/**
 * A source of drop evidence beyond the wire (kernel tracepoints, firewall traces), usually
 * built from the journal entries stored in the pcapng so that a file read later gives the same
 * verdict as the live capture. {@link EvidenceProviders} lists the ones the analysis asks.
 *
 * <pre>{@code
 * EvidenceProvider marks = ctx -> ctx.journal("mark").stream().map(...).toList();
 * }</pre>
 */
@FunctionalInterface
public interface EvidenceProvider {

    /**
     * Drops this provider finds in the capture; empty if none. Entries it does not know are
     * ignored; one of its own that is damaged is reported by an exception, never read as "no drop".
     */
    List<Drop> drops(AnalysisContext context);
}
