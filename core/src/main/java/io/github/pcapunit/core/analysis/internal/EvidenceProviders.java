package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Drop;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/** Registry of {@link EvidenceProvider}s: the registered ones plus those found by ServiceLoader. */
public final class EvidenceProviders {

    private static final List<EvidenceProvider> REGISTERED = new CopyOnWriteArrayList<>();

    private EvidenceProviders() {
    }

    /** Adds a provider (idempotent for the same instance). */
    public static void register(EvidenceProvider provider) {
        if (!REGISTERED.contains(provider)) {
            REGISTERED.add(provider);
        }
    }

    /** Removes a provider registered before (for tests). */
    public static void unregister(EvidenceProvider provider) {
        REGISTERED.remove(provider);
    }

    /** Every provider: registered first, then ServiceLoader's. */
    public static List<EvidenceProvider> all() {
        List<EvidenceProvider> all = new ArrayList<>(REGISTERED);
        for (EvidenceProvider p : ServiceLoader.load(EvidenceProvider.class, EvidenceProviders.class.getClassLoader())) {
            all.add(p);
        }
        return all;
    }

    /** Drops from every provider. A provider that throws is a bug: its failure propagates. */
    public static List<Drop> collect(AnalysisContext context) {
        List<Drop> drops = new ArrayList<>();
        for (EvidenceProvider p : all()) {
            drops.addAll(p.drops(context));
        }
        return drops;
    }
}
