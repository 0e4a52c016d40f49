package io.github.pcapunit.junit.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Reads pcapunit's JUnit configuration parameters, refusing bad values with the fix. */
public final class ConfigParameters {

    /** {@code false} turns every capture off; tests run without one. */
    public static final String ENABLED = "pcapunit.enabled";
    /** Default keep policy: ON_FAILURE, ALWAYS or NEVER. */
    public static final String KEEP = "pcapunit.keep";
    /** Default output directory. */
    public static final String OUTPUT_DIRECTORY = "pcapunit.output.directory";
    /** Default kernel evidence mode: AUTO, REQUIRED or OFF. */
    public static final String KERNEL_EVIDENCE = "pcapunit.kernel.evidence";
    /** Default behaviour when capture is impossible: FAIL or SKIP. */
    public static final String ON_UNAVAILABLE = "pcapunit.on.unavailable";
    /** Default interfaces, comma separated. */
    public static final String INTERFACES = "pcapunit.interfaces";

    private final Function<String, Optional<String>> lookup;

    /** Reads through {@code lookup}, usually {@code ExtensionContext::getConfigurationParameter}. */
    public ConfigParameters(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The trimmed value of {@code key}, empty when unset or blank. */
    public Optional<String> text(String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Whether captures are on ({@value #ENABLED}, default true). */
    public boolean enabled() {
        Optional<String> value = text(ENABLED);
        if (value.isEmpty()) {
            return true;
        }
        String v = value.get().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new ExtensionConfigurationException("Configuration parameter " + ENABLED + "=" + value.get()
                + " is not a boolean. Use " + ENABLED + "=true or " + ENABLED + "=false.");
    }

    /** The enum constant named by {@code key}, case-insensitive, refusing unknown names with the choices. */
    public <E extends Enum<E>> Optional<E> enumValue(String key, Class<E> type) {
        Optional<String> value = text(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.get().replace('-', '_'))) {
                return Optional.of(constant);
            }
        }
        StringBuilder choices = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            choices.append(choices.length() == 0 ? "" : ", ").append(constant.name());
        }
        throw new ExtensionConfigurationException("Configuration parameter " + key + "=" + value.get()
                + " is not one of " + choices + ". Use e.g. " + key + "=" + type.getEnumConstants()[0].name() + ".");
    }
}
