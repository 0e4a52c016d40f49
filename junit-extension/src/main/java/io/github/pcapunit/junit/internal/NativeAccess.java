package io.github.pcapunit.junit.internal;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
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
    private static final String FLAG_NAME = "--enable-native-access";
    private static final int FIRST_WARNING_JDK = 24;

    private NativeAccess() {
    }

    /**
     * A sentence naming the missing flag and where it goes, when this JVM is JDK 24+ and its
     * command line grants the class path (the unnamed module JNA is loaded in) no native access;
     * empty otherwise.
     */
    static Optional<String> missingFlagHint() {
        if (NativeAccess.class.getModule().isNamed()) {
            return Optional.empty();   // on the module path the user grants the flag per module
        }
        return missingFlagHint(Runtime.version().feature(), grantedOnCommandLine());
    }

    /** The hint for a JVM of {@code feature} version whose command line grants native access or not (empty: unknown). */
    static Optional<String> missingFlagHint(int feature, Optional<Boolean> granted) {
        if (feature < FIRST_WARNING_JDK || granted.orElse(true)) {
            return Optional.empty();
        }
        return Optional.of("This JDK " + feature + " test JVM also runs without " + FLAG + ", which JDK 24 and later "
                + "need for loading libpcap through JNA: add it to the argLine of maven-surefire-plugin and "
                + "maven-failsafe-plugin (Gradle: jvmArgs of the test task).");
    }

    /**
     * Whether JVM options {@code arguments} grant the class path native access:
     * {@code --enable-native-access=...,ALL-UNNAMED} (also as two arguments) or
     * {@code --illegal-native-access=allow}.
     */
    static boolean grants(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            String modules = null;
            if (arg.startsWith(FLAG_NAME + "=")) {
                modules = arg.substring(FLAG_NAME.length() + 1);
            } else if (arg.equals(FLAG_NAME) && i + 1 < arguments.size()) {
                modules = arguments.get(i + 1);
            }
            if (modules != null && Arrays.asList(modules.split(",")).contains("ALL-UNNAMED")
                    || arg.equals("--illegal-native-access=allow")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asked of the command line, not of {@code Module.isNativeAccessEnabled()}: the JDK turns
     * that on for a module once it has warned about it, i.e. as soon as JNA loaded its library.
     */
    private static Optional<Boolean> grantedOnCommandLine() {
        try {
            return Optional.of(grants(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        } catch (LinkageError | SecurityException e) {
            return Optional.empty();   // a runtime without java.management: cannot tell, say nothing
        }
    }
}
