package io.github.pcapunit.junit.internal;

import java.util.Optional;

/**
 * Whether this JVM lets pcapunit's native library loader (JNA, on the class path) call native
 * code without a warning. JDK 24 and later warn on every JNI library loaded by a module that was
 * not granted native access, and will refuse it in a later release; the grant is
 * {@code --enable-native-access=ALL-UNNAMED} on the test JVM's command line.
 *
 * <pre>{@code
 * NativeAccess.missingFlagHint().ifPresent(hint -> message.append(' ').append(hint));
 * }</pre>
 */
final class NativeAccess {

    /** The flag, as a user types it into Surefire's or Failsafe's {@code argLine}. */
    static final String FLAG = "--enable-native-access=ALL-UNNAMED";
    private static final int FIRST_WARNING_JDK = 24;

    private NativeAccess() {
    }

    /**
     * A sentence naming the missing flag and where it goes, when this JVM is JDK 24+ and the
     * class path (the unnamed module JNA is loaded in) lacks native access; empty otherwise.
     */
    static Optional<String> missingFlagHint() {
        return missingFlagHint(Runtime.version().feature(), nativeAccessEnabled(NativeAccess.class.getModule()));
    }

    /** The hint for a JVM of {@code feature} version whose class path has {@code enabled} native access. */
    static Optional<String> missingFlagHint(int feature, Optional<Boolean> enabled) {
        if (feature < FIRST_WARNING_JDK || enabled.orElse(true)) {
            return Optional.empty();
        }
        return Optional.of("This JDK " + feature + " test JVM also runs without " + FLAG + ", which JDK 24 and later "
                + "need for loading libpcap through JNA: add it to the argLine of maven-surefire-plugin and "
                + "maven-failsafe-plugin (Gradle: jvmArgs of the test task).");
    }

    /** {@code Module.isNativeAccessEnabled()} (JDK 22+), empty on older JDKs or a named module. */
    private static Optional<Boolean> nativeAccessEnabled(Module module) {
        if (module.isNamed()) {
            return Optional.empty();   // on the module path the user grants the flag per module
        }
        try {
            return Optional.of((Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(module));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();   // JDK 17-21: no such method, nothing to grant
        }
    }
}
