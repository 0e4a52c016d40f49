package io.github.pcapunit.core.packet.internal;

/** Readable names for ICMPv4/ICMPv6 types and destination-unreachable codes. */
public final class IcmpNames {

    private IcmpNames() {
    }

    /** Whether type is an echo request (v4 8, v6 128). */
    public static boolean isEchoRequest(int ipVersion, int type) {
        return ipVersion == 6 ? type == 128 : type == 8;
    }

    /** Whether type is an echo reply (v4 0, v6 129). */
    public static boolean isEchoReply(int ipVersion, int type) {
        return ipVersion == 6 ? type == 129 : type == 0;
    }

    /** Whether type is destination unreachable (v4 3, v6 1). */
    public static boolean isUnreachable(int ipVersion, int type) {
        return ipVersion == 6 ? type == 1 : type == 3;
    }

    /** Whether type is an error that quotes the original packet. */
    public static boolean isError(int ipVersion, int type) {
        if (ipVersion == 6) {
            return type >= 1 && type <= 4;
        }
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }

    /** Readable type name, e.g. {@code echo request}. */
    public static String typeName(int ipVersion, int type) {
        if (ipVersion == 6) {
            switch (type) {
                case 1: return "destination unreachable";
                case 2: return "packet too big";
                case 3: return "time exceeded";
                case 4: return "parameter problem";
                case 128: return "echo request";
                case 129: return "echo reply";
                case 133: return "router solicitation";
                case 134: return "router advertisement";
                case 135: return "neighbor solicitation";
                case 136: return "neighbor advertisement";
                default: return "type " + type;
            }
        }
        switch (type) {
            case 0: return "echo reply";
            case 3: return "destination unreachable";
            case 4: return "source quench";
            case 5: return "redirect";
            case 8: return "echo request";
            case 11: return "time exceeded";
            case 12: return "parameter problem";
            default: return "type " + type;
        }
    }

    /**
     * Constant-style name of a destination-unreachable code, e.g. {@code PORT_UNREACHABLE},
     * {@code ADMIN_PROHIBITED}.
     */
    public static String unreachableCode(int ipVersion, int code) {
        if (ipVersion == 6) {
            switch (code) {
                case 0: return "NO_ROUTE";
                case 1: return "ADMIN_PROHIBITED";
                case 2: return "BEYOND_SCOPE";
                case 3: return "HOST_UNREACHABLE";
                case 4: return "PORT_UNREACHABLE";
                case 5: return "SOURCE_POLICY_FAILED";
                case 6: return "REJECT_ROUTE";
                default: return "CODE_" + code;
            }
        }
        switch (code) {
            case 0: return "NET_UNREACHABLE";
            case 1: return "HOST_UNREACHABLE";
            case 2: return "PROTOCOL_UNREACHABLE";
            case 3: return "PORT_UNREACHABLE";
            case 4: return "FRAGMENTATION_NEEDED";
            case 5: return "SOURCE_ROUTE_FAILED";
            case 6: return "NET_UNKNOWN";
            case 7: return "HOST_UNKNOWN";
            case 9: return "NET_PROHIBITED";
            case 10: return "HOST_PROHIBITED";
            case 11: return "NET_UNREACHABLE_FOR_TOS";
            case 12: return "HOST_UNREACHABLE_FOR_TOS";
            case 13: return "ADMIN_PROHIBITED";
            default: return "CODE_" + code;
        }
    }

    /** Lower-case readable form of {@link #unreachableCode}: {@code port unreachable}. */
    public static String unreachableText(int ipVersion, int code) {
        return unreachableCode(ipVersion, code).toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
