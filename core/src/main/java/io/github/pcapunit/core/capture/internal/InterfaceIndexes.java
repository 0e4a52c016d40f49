package io.github.pcapunit.core.capture.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.netns.NetNamespace;
import io.github.pcapunit.core.capture.internal.netns.NetnsThreads;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * The interfaces behind the ifindexes of a capture on Linux {@code any}, looked up with
 * {@code if_indextoname(3)} in the namespace that was captured (the JVM's own, or a capture
 * point's, joined on a short-lived thread), so the file can put each packet on its real interface.
 *
 * <pre>{@code
 * IntFunction<InterfaceDescription> real = InterfaceIndexes.in(null);  // 1 -> "lo"
 * IntFunction<InterfaceDescription> db = InterfaceIndexes.in(dbPoint); // 2 -> "db/eth0"
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
     * Looks up ifindexes in {@code ns} (null: the JVM's own namespace); the function gives null
     * for an index no interface has (any more), or when the namespace is gone or not readable.
     */
    static IntFunction<InterfaceDescription> in(NetNamespace ns) {
        return ifindex -> {
            String name;
            try {
                name = ns == null ? nameOf(ifindex) : NetnsThreads.call(ns, () -> nameOf(ifindex));
            } catch (CaptureException | LinkageError e) {
                return null; // the namespace is gone or JNA cannot load: the packet stays on "any"
            }
            if (name == null) {
                return null;
            }
            InterfaceDescription.Builder b = InterfaceDescription.builder();
            if (ns == null) {
                return b.name(name).build();
            }
            return b.name(ns.interfaceName(name)).description(ns.describe(name)).build();
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
