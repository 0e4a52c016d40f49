package io.github.pcapunit.core.packet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address texts the text format appends per packet: RFC 5952 for IPv6, as before they were appended. */
class AddressesTest {

    @ParameterizedTest
    @CsvSource({
            "2001:db8::1, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",     // one zero group stays 0
            "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",              // the longest run is compressed
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",        // the first of equal runs
            "FE80:0:0:0:ABCD:EF01:0:FFFF, fe80::abcd:ef01:0:ffff"})
    void ipv6Text_isRfc5952(String address, String expected) throws Exception {
        byte[] raw = InetAddress.getByName(address).getAddress();
        assertThat(Addresses.text(raw, 16)).isEqualTo(expected);
        StringBuilder s = new StringBuilder("x ");
        assertThat(Addresses.appendEndpoint(s, raw, 16, 443).toString()).isEqualTo("x [" + expected + "]:443");
    }

    @Test
    void ipv4Text_andEndpoint() {
        byte[] raw = {10, 0, 1, (byte) 200};
        assertThat(Addresses.text(raw, 4)).isEqualTo("10.0.1.200");
        assertThat(Addresses.endpoint(raw, 4, 1433)).isEqualTo("10.0.1.200:1433");
        assertThat(Addresses.endpoint(raw, 4, -1)).isEqualTo("10.0.1.200");
    }
}
