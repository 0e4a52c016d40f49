package io.github.pcapunit.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the missing {@code --enable-native-access} flag is worth a sentence. */
class NativeAccessTests {

    @Test
    void jdk24Or25WithoutTheFlag_namesItAndWhereItGoes() {
        assertThat(NativeAccess.missingFlagHint(25, Optional.of(false))).hasValue("This JDK 25 test JVM also runs "
                + "without --enable-native-access=ALL-UNNAMED, which JDK 24 and later need for loading libpcap through "
                + "JNA: add it to the argLine of maven-surefire-plugin and maven-failsafe-plugin (Gradle: jvmArgs of "
                + "the test task).");
        assertThat(NativeAccess.missingFlagHint(24, Optional.of(false))).isPresent();
    }

    @Test
    void flagGiven_olderJdk_orNamedModule_sayNothing() {
        assertThat(NativeAccess.missingFlagHint(25, Optional.of(true))).isEmpty();
        assertThat(NativeAccess.missingFlagHint(23, Optional.of(false))).isEmpty();
        assertThat(NativeAccess.missingFlagHint(17, Optional.empty())).isEmpty();
        assertThat(NativeAccess.missingFlagHint(25, Optional.empty())).isEmpty();
    }

    @Test
    void commandLine_grantsWithTheFlagInEitherFormOrIllegalAccessAllowed() {
        assertThat(NativeAccess.grants(List.of("-Xmx1g", "--enable-native-access=ALL-UNNAMED"))).isTrue();
        assertThat(NativeAccess.grants(List.of("--enable-native-access=com.foo,ALL-UNNAMED"))).isTrue();
        assertThat(NativeAccess.grants(List.of("--enable-native-access", "ALL-UNNAMED"))).isTrue();
        assertThat(NativeAccess.grants(List.of("--illegal-native-access=allow"))).isTrue();
        assertThat(NativeAccess.grants(List.of("--enable-native-access=com.foo", "-Dx=ALL-UNNAMED"))).isFalse();
        assertThat(NativeAccess.grants(List.of("--illegal-native-access=warn"))).isFalse();
        assertThat(NativeAccess.grants(List.of())).isFalse();
    }

    @Test
    void thisJvm_answersFromItsOwnFlags() {
        boolean flagMissing = Runtime.version().feature() >= 24 && !java.lang.management.ManagementFactory
                .getRuntimeMXBean().getInputArguments().contains(NativeAccess.FLAG);
        assertThat(NativeAccess.missingFlagHint().isPresent()).isEqualTo(flagMissing);
    }
}
