package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Drop;
import java.util.List;

/**
 * A source of drop evidence beyond the wire (kernel tracepoints, firewall traces), usually
 * built from the journal entries stored in the pcapng so that a file read later gives the same
 * verdict as the live capture. Register with {@link EvidenceProviders#register} (e.g. from a
 * static initializer reached by the capture engine) or through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.pcapunit.core.analysis.internal.EvidenceProvider}).
 *
 * <pre>{@code
 * EvidenceProviders.register(ctx -> KernelEvidenceFromJournal.drops(ctx.journal()));
 * }</pre>
 */
@FunctionalInterface
public interface EvidenceProvider {

    /** Drops this provider finds in the capture; empty if none. Must not throw for odd input. */
    List<Drop> drops(AnalysisContext context);
}
