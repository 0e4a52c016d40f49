package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Drop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link EvidenceProvider}s the analysis asks, wired here: the kernel/firewall provider,
 * plus any a test registered.
 *
 * <pre>{@code
 * List<Drop> drops = EvidenceProviders.collect(new AnalysisContext(file, journal, wire));
 * }</pre>
 */
public final class EvidenceProviders {

    private static final List<EvidenceProvider> BUILT_IN = List.of(new KernelEvidenceProvider());
    /** Test hook: providers added by {@link #register}. */
    private static final List<EvidenceProvider> REGISTERED = new CopyOnWriteArrayList<>();

    private EvidenceProviders() {
    }

    /** For tests: adds a provider (idempotent for the same instance) until {@link #unregister}. */
    public static void register(EvidenceProvider provider) {
        if (!REGISTERED.contains(provider)) {
            REGISTERED.add(provider);
        }
    }

    /** Removes a provider registered before. */
    public static void unregister(EvidenceProvider provider) {
        REGISTERED.remove(provider);
    }

    /** Every provider: the registered ones first, then the built-in ones. */
    public static List<EvidenceProvider> all() {
        List<EvidenceProvider> all = new ArrayList<>(REGISTERED);
        all.addAll(BUILT_IN);
        return all;
    }

    /** Drops from every provider. A provider that throws is a bug or a damaged file: its failure propagates. */
    public static List<Drop> collect(AnalysisContext context) {
        List<Drop> drops = new ArrayList<>();
        for (EvidenceProvider p : all()) {
            drops.addAll(p.drops(context));
        }
        return drops;
    }
}
