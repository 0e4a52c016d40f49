package io.github.pcapunit.core.capture.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Registry of {@link CaptureSidecar.Factory}s: those registered in code plus those listed in
 * {@code META-INF/services/io.github.pcapunit.core.capture.internal.CaptureSidecar$Factory}; and
 * of the {@link CaptureFileFinisher}s.
 */
public final class CaptureSidecars {

    private static final List<CaptureSidecar.Factory> REGISTERED = new CopyOnWriteArrayList<>();
    private static volatile List<CaptureSidecar.Factory> discovered;
    private static volatile List<CaptureFileFinisher> finishers;

    private CaptureSidecars() {
    }

    /** Adds a factory for every capture started from now on. */
    public static void register(CaptureSidecar.Factory factory) {
        REGISTERED.add(factory);
    }

    /** Removes a factory added by {@link #register}. */
    public static void unregister(CaptureSidecar.Factory factory) {
        REGISTERED.remove(factory);
    }

    /** The service-loaded {@link CaptureFileFinisher}s, loaded once. */
    public static List<CaptureFileFinisher> finishers() {
        List<CaptureFileFinisher> f = finishers;
        if (f == null) {
            List<CaptureFileFinisher> found = new ArrayList<>();
            ServiceLoader.load(CaptureFileFinisher.class, CaptureSidecars.class.getClassLoader()).forEach(found::add);
            f = List.copyOf(found);
            finishers = f;
        }
        return f;
    }

    /** Every factory, service-loaded ones first. */
    public static List<CaptureSidecar.Factory> factories() {
        List<CaptureSidecar.Factory> d = discovered;
        if (d == null) {
            List<CaptureSidecar.Factory> found = new ArrayList<>();
            ServiceLoader.load(CaptureSidecar.Factory.class, CaptureSidecars.class.getClassLoader())
                    .forEach(found::add);
            d = List.copyOf(found);
            discovered = d;
        }
        List<CaptureSidecar.Factory> all = new ArrayList<>(d);
        all.addAll(REGISTERED);
        return all;
    }
}
