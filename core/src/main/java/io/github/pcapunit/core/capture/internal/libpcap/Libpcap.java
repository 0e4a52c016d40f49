package io.github.pcapunit.core.capture.internal.libpcap;

import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.LibpcapNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** Loading libpcap, listing interfaces, compiling filters without a live handle. */
public final class Libpcap {

    /** pcap4j's system property naming the libpcap file to load. */
    static final String LIB_NAME_PROPERTY = "org.pcap4j.core.pcapLibName";
    static final String INSTALL_HINT = "install libpcap0.8 (Debian/Ubuntu), libpcap (Fedora/macOS), "
            + "Npcap (Windows); or set -D" + LIB_NAME_PROPERTY + "=/path";
    /** Longest loader reason quoted: JNA's can list the whole class path. */
    private static final int MAX_REASON_CHARS = 300;

    private static volatile String version;
    /** The first failure: later attempts only see "Could not initialize class ...". */
    private static volatile LibpcapNotFoundException failure;

    private Libpcap() {
    }

    /**
     * libpcap's version string; loads the library.
     *
     * @throws LibpcapNotFoundException if it cannot be loaded; the message leads with the real
     *     cause, e.g. {@code class org.slf4j.LoggerFactory is missing from the class path}
     */
    public static String version() {
        String v = version;
        if (v == null) {
            LibpcapNotFoundException first = failure;
            if (first != null) {
                throw new LibpcapNotFoundException(first.getMessage(), first.getCause());
            }
            try {
                QuietSlf4j.initialise(); // before pcap4j initialises SLF4J: no "no binding" notice
                v = Pcaps.libVersion();
            } catch (LinkageError | RuntimeException e) {
                LibpcapNotFoundException f = notLoaded(e, System.getProperty(LIB_NAME_PROPERTY));
                failure = f;
                throw f;
            }
            version = v;
        }
        return v;
    }

    /**
     * The exception for libpcap (or pcap4j) failing to load with {@code e}, its message on one
     * line leading with the real cause: a class missing from the class path, the file
     * {@code -Dorg.pcap4j.core.pcapLibName} names (only suggested when not set), or libpcap absent.
     *
     * <pre>{@code
     * notLoaded(e, "/opt/libpcap.so").getMessage();
     * // libpcap not found: -Dorg.pcap4j.core.pcapLibName=/opt/libpcap.so could not be loaded:
     * //   /opt/libpcap.so: cannot open shared object file: No such file or directory. Point ...
     * }</pre>
     *
     * @param libName the value of {@code org.pcap4j.core.pcapLibName}, or null when not set
     */
    public static LibpcapNotFoundException notLoaded(Throwable e, String libName) {
        String missing = missingClass(e);
        if (missing != null) {
            return new LibpcapNotFoundException("pcap4j cannot start: class " + missing
                    + " is missing from the class path (" + oneLine(e) + "). Add the jar that holds it"
                    + (missing.startsWith("org.slf4j.") ? " (org.slf4j:slf4j-api)" : "")
                    + " to the class path; libpcap itself was not loaded yet", e);
        }
        if (libName != null && !libName.isBlank()) {
            return new LibpcapNotFoundException("libpcap not found: -D" + LIB_NAME_PROPERTY + "=" + libName
                    + " could not be loaded: " + oneLine(e) + ". Point it at a libpcap shared library"
                    + " (e.g. one `ldconfig -p | grep libpcap` lists) or remove it to use the system's", e);
        }
        return new LibpcapNotFoundException("libpcap not found: " + INSTALL_HINT + " (loader said: " + oneLine(e)
                + ")", e);
    }

    /** The class (dotted) a NoClassDefFoundError or ClassNotFoundException in the chain names, or null. */
    static String missingClass(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.startsWith("Could not initialize class")) {
                continue; // a class whose initializer failed before: the real cause is further down
            }
            if (t instanceof NoClassDefFoundError || t instanceof ClassNotFoundException) {
                return m.strip().replace('/', '.');
            }
        }
        return null;
    }

    /**
     * The loader's reason on one line: JNA's lines without repeats and without the one listing
     * the class path it searched, cut at {@value #MAX_REASON_CHARS} characters.
     */
    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().startsWith("Could not initialize class"))) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        java.util.LinkedHashSet<String> lines = new java.util.LinkedHashSet<>();
        for (String line : message.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Native library (") && !l.contains(" in resource path (")) {
                lines.add(l);
            }
        }
        String text = String.join(" ", lines);
        String prefix = t instanceof UnsatisfiedLinkError ? "" : t.getClass().getSimpleName() + ": ";
        text = prefix + text;
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** Interface names libpcap can capture on. */
    public static List<String> interfaceNames() {
        version();
        try {
            List<String> names = new ArrayList<>();
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
                names.add(nif.getName());
            }
            return names;
        } catch (PcapNativeException e) {
            // findAllDevs fails when no device at all is visible; there is nothing to list then.
            return List.of();
        }
    }

    /**
     * Compiles {@code filter} for a link type without opening any capture.
     *
     * @return libpcap's reason if it refuses, else {@code null}
     */
    public static String compileError(String filter, int linkType, int snaplen) {
        version();
        PcapHandle dead = null;
        try {
            dead = Pcaps.openDead(DataLinkType.getInstance(linkType), snaplen,
                    PcapHandle.TimestampPrecision.NANO);
            BpfProgram prog = dead.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE,
                    PcapHandle.PCAP_NETMASK_UNKNOWN);
            prog.free();
            return null;
        } catch (PcapNativeException e) {
            return reason(e.getMessage());
        } catch (org.pcap4j.core.NotOpenException e) {
            throw new IllegalStateException("pcap_open_dead handle closed while compiling", e);
        } finally {
            if (dead != null) {
                dead.close();
            }
        }
    }

    /** The exception for a filter libpcap refuses, in the one wording pcapunit uses. */
    public static InvalidFilterException invalidFilter(String filter, String reason) {
        return new InvalidFilterException(filter, reason, "\"" + filter + "\" is not a valid capture filter: "
                + reason + ". Use tcpdump filter syntax, e.g. \"tcp port 1433\".");
    }

    /** Strips pcap4j's "Error occurred in pcap_compile: " style prefixes from libpcap's text. */
    static String reason(String message) {
        if (message == null) {
            return "no reason given";
        }
        String m = message;
        int colon = m.indexOf(": ");
        if (m.startsWith("Error occurred") && colon > 0) {
            m = m.substring(colon + 2);
        }
        return m.strip();
    }
}
