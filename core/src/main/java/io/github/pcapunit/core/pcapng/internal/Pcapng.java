package io.github.pcapunit.core.pcapng.internal;

/** pcapng and pcap constants (block types, option codes, magics). */
public final class Pcapng {

    private Pcapng() {
    }

    public static final int SHB = 0x0A0D0D0A;
    public static final int IDB = 1;
    public static final int PB = 2;
    public static final int SPB = 3;
    public static final int NRB = 4;
    public static final int ISB = 5;
    public static final int EPB = 6;
    public static final int JOURNAL = 9;
    public static final int DSB = 10;
    public static final int CB_COPY = 0x00000BAD;
    public static final int CB_NOCOPY = 0x40000BAD;

    public static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    public static final int OPT_ENDOFOPT = 0;
    public static final int OPT_COMMENT = 1;

    public static final int SHB_HARDWARE = 2;
    public static final int SHB_OS = 3;
    public static final int SHB_USERAPPL = 4;

    public static final int IF_NAME = 2;
    public static final int IF_DESCRIPTION = 3;
    public static final int IF_TSRESOL = 9;
    public static final int IF_FILTER = 11;
    public static final int IF_OS = 12;
    public static final int IF_TSOFFSET = 14;

    public static final int EPB_FLAGS = 2;
    public static final int EPB_DROPCOUNT = 4;
    public static final int EPB_PACKETID = 5;
    public static final int EPB_VERDICT = 7;
    public static final int EPB_PROCESSID_THREADID = 8;

    public static final int ISB_STARTTIME = 2;
    public static final int ISB_ENDTIME = 3;
    public static final int ISB_IFRECV = 4;
    public static final int ISB_IFDROP = 5;
    public static final int ISB_FILTERACCEPT = 6;
    public static final int ISB_OSDROP = 7;
    public static final int ISB_USRDELIV = 8;

    /** Classic pcap magics as read little endian. */
    public static final int PCAP_MICROS = 0xA1B2C3D4;
    public static final int PCAP_NANOS = 0xA1B23C4D;

    /** The largest block or record we accept (guards against bogus lengths). */
    public static final int MAX_BLOCK = 64 << 20;

    public static String blockName(long type) {
        switch ((int) type) {
            case SHB: return "Section Header Block";
            case IDB: return "Interface Description Block";
            case PB: return "Packet Block";
            case SPB: return "Simple Packet Block";
            case NRB: return "Name Resolution Block";
            case ISB: return "Interface Statistics Block";
            case EPB: return "Enhanced Packet Block";
            case JOURNAL: return "Journal Export Block";
            case DSB: return "Decryption Secrets Block";
            case CB_COPY:
            case CB_NOCOPY: return "Custom Block";
            default: return "block";
        }
    }

    /** "Enhanced Packet Block (type 0x00000006)". */
    public static String describe(long type) {
        return blockName(type) + String.format(" (type 0x%08X)", type);
    }
}
