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

    static final String INSTALL_HINT = "install libpcap0.8 (Debian/Ubuntu), libpcap (Fedora/macOS), "
            + "Npcap (Windows); or set -Dorg.pcap4j.core.pcapLibName=/path";

    private static volatile String version;

    private Libpcap() {
    }

    /** libpcap's version string; loads the library. */
    public static String version() {
        String v = version;
        if (v == null) {
            try {
                v = Pcaps.libVersion();
            } catch (LinkageError | RuntimeException e) {
                throw new LibpcapNotFoundException("libpcap not found: " + INSTALL_HINT
                        + " (loader said: " + e + ")", e);
            }
            version = v;
        }
        return v;
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
