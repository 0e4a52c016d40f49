package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.UnknownInterfaceException;
import io.github.pcapunit.core.capture.internal.libpcap.Libpcap;
import io.github.pcapunit.core.capture.internal.netns.Namespaces;
import java.util.List;

/** The checks of a spec that need libpcap but open nothing. */
public final class SpecValidation {

    /** LINKTYPE_LINUX_SLL2: what captures on "any" deliver. */
    static final int LINUX_SLL2 = 276;
    static final int ETHERNET = 1;

    private SpecValidation() {
    }

    /** Throws the first problem found: libpcap missing, unknown interface, bad filter. */
    public static void validate(CaptureSpec spec) {
        Libpcap.version();
        validateExplain(spec);
        Namespaces.check(spec);
        List<String> available = null;
        // sysfs shows the namespace it was mounted in: a thread that joined another one asks libpcap
        boolean sysfs = spec.capturesOwnNamespace() && Namespaces.callerInJvmNamespace();
        for (String name : spec.capturesOwnNamespace() ? spec.effectiveInterfaces() : List.<String>of()) {
            if (CaptureSpec.ANY_INTERFACE.equals(name) || sysfs && isLinuxInterface(name)) {
                continue; // pcap_findalldevs takes milliseconds with many interfaces; sysfs is enough
            }
            if (available == null) {
                available = Libpcap.interfaceNames();
            }
            if (!available.contains(name)) {
                throw new UnknownInterfaceException(name, available, "interface \"" + name
                        + "\" does not exist here: available are " + available
                        + ". Use one of them, or leave interfaces unset to capture on all (\"any\").");
            }
        }
        spec.filter().ifPresent(filter -> {
            // Ethernet accepts every BPF primitive that cooked captures do, and more; checking both
            // catches link-specific keywords on "any".
            String reason = Libpcap.compileError(filter, ETHERNET, spec.snaplen());
            if (reason == null && spec.effectiveInterfaces().contains(CaptureSpec.ANY_INTERFACE)) {
                reason = Libpcap.compileError(filter, LINUX_SLL2, spec.snaplen());
            }
            if (reason != null) {
                throw invalidFilter(filter, reason);
            }
        });
    }

    /** Explain mode's namespaces exist and {@code nft} is installed; before anything is opened. */
    private static void validateExplain(CaptureSpec spec) {
        if (spec.explainFirewall().isEmpty()) {
            return;
        }
        if (!onPath("nft")) {
            throw new io.github.pcapunit.core.InvalidCaptureSpecException("explainFirewall", spec.explainFirewall().get(),
                    "explainFirewall needs the nft command, which is not on the PATH: install nftables"
                            + " (apt-get install nftables), or leave explain mode off");
        }
        for (String ns : spec.explainNamespaces()) {
            if (!java.nio.file.Files.exists(java.nio.file.Path.of("/run/netns", ns))) {
                throw new io.github.pcapunit.core.InvalidCaptureSpecException("explainNamespaces", ns,
                        "explainNamespaces: network namespace \"" + ns + "\" does not exist (no /run/netns/" + ns
                                + "): name one that 'ip netns list' shows");
            }
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLinuxInterface(String name) {
        return name.indexOf('/') < 0 && !name.startsWith(".")
                && java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/class/net", name));
    }

    static InvalidFilterException invalidFilter(String filter, String reason) {
        return Libpcap.invalidFilter(filter, reason);
    }
}
