package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.CaptureSpec;

/**
 * A capture option has a value that cannot work (a snaplen of zero, a file size cap smaller than
 * one packet, a port outside 0-65535). {@link #parameter()} names the option and {@link #value()}
 * repeats what was given, so a caller such as an annotation processor can re-phrase the message
 * in its own terms.
 *
 * <pre>{@code
 * try {
 *     CaptureSpec.builder().snaplen(0).build();
 * } catch (InvalidCaptureSpecException e) {
 *     e.parameter();   // "snaplen"
 *     e.value();       // "0"
 * }
 * }</pre>
 */
public class InvalidCaptureSpecException extends CaptureException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String value;

    /**
     * A refused option.
     *
     * @param parameter the option's name, as the builder method spells it
     * @param value the refused value, as text
     * @param message the whole message, naming option, value and fix
     */
    public InvalidCaptureSpecException(String parameter, String value, String message) {
        super(message);
        this.parameter = parameter;
        this.value = value;
    }

    /** The option's name as the builder method spells it, e.g. {@code snaplen}. */
    public String parameter() {
        return parameter;
    }

    /** The refused value as text. */
    public String value() {
        return value;
    }
}
