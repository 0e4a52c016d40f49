package io.github.pcapunit.core.pcapng;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The content of a pcapng Decryption Secrets Block: a secrets type and its data, e.g. a TLS key
 * log ({@link #TLS_KEY_LOG}) that lets Wireshark decrypt the capture's TLS sessions.
 *
 * <pre>{@code
 * for (DecryptionSecrets s : reader.decryptionSecrets()) {
 *     if (s.type() == DecryptionSecrets.TLS_KEY_LOG) System.out.print(s.text());
 * }
 * }</pre>
 */
public final class DecryptionSecrets {

    /** Secrets type of an NSS key log ("TLSK"). */
    public static final long TLS_KEY_LOG = 0x544c534bL;
    /** Secrets type of WireGuard keys ("WGKL"). */
    public static final long WIREGUARD_KEY_LOG = 0x57474b4cL;

    private final long type;
    private final byte[] data;

    /**
     * Secrets of {@code type}.
     *
     * @param type the block's secrets type, e.g. {@link #TLS_KEY_LOG}
     * @param data the secrets (copied)
     */
    public DecryptionSecrets(long type, byte[] data) {
        this.type = type;
        this.data = data.clone();
    }

    /** The secrets type. */
    public long type() {
        return type;
    }

    /** The secrets, as stored (a copy). */
    public byte[] data() {
        return data.clone();
    }

    /** The secrets as UTF-8 text (key logs are text). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecryptionSecrets d && d.type == type && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(type) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "DecryptionSecrets[type=0x" + Long.toHexString(type) + ", " + data.length + " bytes]";
    }
}
