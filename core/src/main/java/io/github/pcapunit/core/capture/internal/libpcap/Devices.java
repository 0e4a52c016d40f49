package io.github.pcapunit.core.capture.internal.libpcap;

import java.util.LinkedHashMap;
import java.util.Map;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;

/**
 * The interfaces libpcap sees from the calling thread, with their MAC addresses. libpcap asks
 * the kernel through sockets, so a thread that joined another network namespace sees that
 * namespace's interfaces (sysfs would still show the JVM's).
 *
 * <pre>{@code
 * Map<String, byte[]> macs = Devices.macsByName();   // {"eth0"=[2,66,10,-56,-6,2], "lo"=null, ...}
 * }</pre>
 */
public final class Devices {

    private Devices() {
    }

    /** Interface name to its (non-zero) MAC address, or to null when it has none. */
    public static Map<String, byte[]> macsByName() {
        Libpcap.version();
        Map<String, byte[]> macs = new LinkedHashMap<>();
        try {
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
                byte[] mac = null;
                for (LinkLayerAddress a : nif.getLinkLayerAddresses()) {
                    byte[] b = a.getAddress();
                    if (b.length == 6 && !allZero(b)) {
                        mac = b;
                        break;
                    }
                }
                macs.put(nif.getName(), mac);
            }
        } catch (PcapNativeException e) {
            // no device visible at all: nothing to list
        }
        return macs;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
