package io.github.pcapunit.testing;

import java.util.List;

/**
 * Outcome of a command run by the network lab, e.g. inside a namespace.
 *
 * <pre>{@code
 * ExecResult r = db.exec("ip", "-br", "addr");
 * assertThat(r.stdout()).contains("10.200.1.20");
 * }</pre>
 *
 * @param command  the full command line that ran
 * @param exitCode the exit status, -1 when it timed out
 * @param stdout   what it printed on standard output
 * @param stderr   what it printed on standard error
 */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Returns true when the command exited with status 0. Example: {@code if (r.succeeded()) ...}. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Returns a one-paragraph description of a failed run: command, status and stderr. */
    public String describeFailure() {
        return "'" + String.join(" ", command) + "' exited with status " + exitCode + ": " + stderr.strip();
    }
}
