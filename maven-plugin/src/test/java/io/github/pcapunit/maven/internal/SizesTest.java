package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void plainNumber_isBytes() {
        assertThat(Sizes.parse("bufferSize", "capture.bufferSize", "1500")).isEqualTo(1500L);
    }

    @Test
    void binaryUnits_inAnyCase_multiplyBy1024Powers() {
        assertThat(Sizes.parse("p", "capture.p", "64MB")).isEqualTo(64L << 20);
        assertThat(Sizes.parse("p", "capture.p", "512kib")).isEqualTo(512L << 10);
        assertThat(Sizes.parse("p", "capture.p", " 2 G ")).isEqualTo(2L << 30);
        assertThat(Sizes.parse("p", "capture.p", "7b")).isEqualTo(7L);
    }

    @Test
    void unknownUnit_namesParameterValueAndFix() {
        assertThatThrownBy(() -> Sizes.parse("maxFileSize", "capture.maxFileSize", "10 parsecs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("<maxFileSize>10 parsecs</maxFileSize> (capture.maxFileSize) is not a"
                        + " size: use a number of bytes with an optional unit, e.g. 64MB, 512KiB"
                        + " or 1048576");
    }

    @Test
    void negativeOrEmpty_isRejected() {
        assertThatThrownBy(() -> Sizes.parse("p", "capture.p", "-1"))
                .hasMessageContaining("<p>-1</p>");
        assertThatThrownBy(() -> Sizes.parse("p", "capture.p", ""))
                .hasMessageContaining("is not a size");
    }

    @Test
    void overflowingSize_isRejected() {
        assertThatThrownBy(() -> Sizes.parse("p", "capture.p", "999999999999999999TB"))
                .hasMessageContaining("too large");
    }
}
