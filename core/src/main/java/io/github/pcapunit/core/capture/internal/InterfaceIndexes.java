package io.github.pcapunit.core.capture.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.netns.NetNamespace;
import io.github.pcapunit.core.capture.internal.netns.NetnsThreads;
import io.github.pcapunit.core.capture.internal.netns.PinnedNamespace;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * The interfaces behind the ifindexes of a capture on Linux {@code any}, looked up with
 * {@code if_indextoname(3)} in the namespace that was captured (a capture point's, or the one the
 * capture's own interfaces were opened in: the JVM's, or the namespace a user's thread had joined
 * when it started the capture), joined on a short-lived thread when the asking thread is elsewhere,
 * so the file can put each packet on its real interface. Asking in the caller's namespace instead
 * named a namespace's veths after the JVM's interfaces with the same small ifindexes
 * (NamespaceInterfaceLookupTest).
 *
 * <pre>{@code
 * IntFunction<InterfaceDescription> real = InterfaceIndexes.in(PinnedNamespace.jvm()); // 1 -> "lo"
 * IntFunction<InterfaceDescription> db = InterfaceIndexes.in(dbPoint);                // 2 -> "db/eth0"
 * }</pre>
 */
final class InterfaceIndexes {

    private static final int IF_NAMESIZE = 16;

    private InterfaceIndexes() {
    }

    /** The C library call; loaded on first use. */
    interface Names extends Library {
        Names INSTANCE = Native.load("c", Names.class);

        /** Fills {@code name}; null when no interface has the index. */
        Pointer if_indextoname(int ifindex, byte[] name);
    }

    /**
     * Looks up ifindexes in the namespace the capture's own interfaces were opened in, naming them
     * bare ({@code eth0}), described as that namespace's when it is not the JVM's
     * ({@link PinnedNamespace#describe}); the function gives null for an index no interface has
     * (any more), or when the lookup fails.
     */
    static IntFunction<InterfaceDescription> in(PinnedNamespace opened) {
        return ifindex -> {
            String name;
            try {
                name = opened.call(() -> nameOf(ifindex));
            } catch (CaptureException | LinkageError e) {
                return null; // JNA cannot load: the packet stays on "any"
            }
            if (name == null) {
                return null;
            }
            String description = opened.describe(name);
            return description == null ? InterfaceDescription.builder().name(name).build()
                    : InterfaceDescription.builder().name(name).description(description).build();
        };
    }

    /**
     * Looks up ifindexes in the calling thread's namespace, naming them bare: only when the
     * namespace the interfaces were opened in could not be held ({@link PinnedNamespace}).
     */
    static IntFunction<InterfaceDescription> inCallingThread() {
        return ifindex -> {
            String name;
            try {
                name = nameOf(ifindex);
            } catch (LinkageError e) {
                return null;
            }
            return name == null ? null : InterfaceDescription.builder().name(name).build();
        };
    }

    /**
     * Looks up ifindexes in a capture point's namespace {@code ns}, naming them {@code <point>/<iface>};
     * the function gives null for an index no interface has (any more), or when the namespace is
     * gone or not readable.
     */
    static IntFunction<InterfaceDescription> in(NetNamespace ns) {
        return ifindex -> {
            String name;
            try {
                name = NetnsThreads.call(ns, () -> nameOf(ifindex));
            } catch (CaptureException | LinkageError e) {
                return null; // the namespace is gone or JNA cannot load: the packet stays on "any"
            }
            if (name == null) {
                return null;
            }
            return InterfaceDescription.builder().name(ns.interfaceName(name)).description(ns.describe(name)).build();
        };
    }

    /** The name of {@code ifindex} in the calling thread's namespace, or null. */
    static String nameOf(int ifindex) {
        if (ifindex <= 0) {
            return null;
        }
        byte[] name = new byte[IF_NAMESIZE];
        // the returned pointer is JNA's temporary copy of the buffer, freed on return: read the array
        if (Names.INSTANCE.if_indextoname(ifindex, name) == null) {
            return null;
        }
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, StandardCharsets.UTF_8);
    }
}
