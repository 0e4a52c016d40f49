package io.github.pcapunit.core;

/**
 * A capture filter that libpcap refuses to compile. {@link #filter()} is the text given,
 * {@link #reason()} libpcap's own words (for example {@code unknown port 'bogus'}).
 *
 * <pre>{@code
 * catch (InvalidFilterException e) {
 *     log(e.filter() + ": " + e.reason());
 * }
 * }</pre>
 */
public class InvalidFilterException extends CaptureException {

    private static final long serialVersionUID = 1L;

    private final String filter;
    private final String reason;

    /**
     * A refused filter.
     *
     * @param filter the filter text as the caller gave it
     * @param reason libpcap's explanation
     * @param message the whole message, naming the filter, the reason and the fix
     */
    public InvalidFilterException(String filter, String reason, String message) {
        super(message);
        this.filter = filter;
        this.reason = reason;
    }

    /** The filter text as given. */
    public String filter() {
        return filter;
    }

    /** libpcap's reason for refusing it, e.g. {@code unknown port 'bogus'}. */
    public String reason() {
        return reason;
    }
}
