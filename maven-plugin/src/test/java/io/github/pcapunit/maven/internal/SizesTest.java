package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void plainNumber_isBytes() {
        assertThat(Sizes.parse("1500")).isEqualTo(1500L);
    }

    @Test
    void binaryUnits_inAnyCase_multiplyBy1024Powers() {
        assertThat(Sizes.parse("64MB")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("512kib")).isEqualTo(512L << 10);
        assertThat(Sizes.parse(" 2 G ")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("3T")).isEqualTo(3L << 40);
        assertThat(Sizes.parse("7b")).isEqualTo(7L);
    }

    @Test
    void unknownUnit_saysHowToWriteASize() {
        assertThatThrownBy(() -> Sizes.parse("10 parsecs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not a size: use a number of bytes with an optional unit, e.g."
                        + " 64MB, 512KiB or 1048576");
    }

    @Test
    void negativeOrEmpty_isRejected() {
        assertThatThrownBy(() -> Sizes.parse("-1")).hasMessageStartingWith("is not a size");
        assertThatThrownBy(() -> Sizes.parse("")).hasMessageStartingWith("is not a size");
    }

    @Test
    void overflowingSize_isRejected() {
        assertThatThrownBy(() -> Sizes.parse("999999999999999999TB"))
                .hasMessageContaining("too large");
    }

    @Test
    void intSize_upTo2GiBMinusOne_isAccepted_2GiBIsRefused() {
        assertThat(Sizes.parseInt("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Sizes.parseInt("1GB")).isEqualTo(1 << 30);
        assertThatThrownBy(() -> Sizes.parseInt("2GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is 2 GiB or more, too large for this option: use a smaller size,"
                        + " e.g. 32MB");
    }
}
