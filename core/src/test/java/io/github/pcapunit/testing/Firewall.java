package io.github.pcapunit.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * An nftables table of one lab in one namespace, with {@code input} and {@code output} filter
 * chains (priority 0, policy accept). Rules are nft rule text such as {@code "tcp dport 1433"}.
 * For the JVM side of a {@link JvmLink} every rule is limited to the lab's interface, so the
 * rest of the machine is never affected.
 *
 * <pre>{@code
 * Firewall fw = app.firewall();
 * fw.dropOutput("tcp dport 1433");      // the seed's outbound block
 * fw.acceptOutput("tcp dport 1433");    // the fix: an allow rule placed before it
 * }</pre>
 */
public final class Firewall {

    private final String namespace;
    private final String table;
    private final String device;

    Firewall(String namespace, String table, String device) {
        this.namespace = namespace;
        this.table = table;
        this.device = device;
    }

    void create() {
        nft("add table inet " + table + "\n"
                + "add chain inet " + table + " input { type filter hook input priority 0; policy accept; }\n"
                + "add chain inet " + table + " output { type filter hook output priority 0; policy accept; }\n");
    }

    void remove() {
        Commands.exec(command("delete", "table", "inet", table), null, Commands.DEFAULT_TIMEOUT);
    }

    /** The table's name, e.g. "pcapunit_4242_1" (family inet). */
    public String table() {
        return table;
    }

    /** Appends a rule dropping outbound packets that match, e.g. {@code "tcp dport 1433"}. */
    public Firewall dropOutput(String match) {
        return add("output", "add", match + " counter drop comment \"pcapunit lab: drop " + quote(match) + "\"");
    }

    /** Appends a rule dropping inbound packets that match, e.g. {@code "icmp type echo-request"}. */
    public Firewall dropInput(String match) {
        return add("input", "add", match + " counter drop comment \"pcapunit lab: drop " + quote(match) + "\"");
    }

    /**
     * Appends a rule rejecting inbound packets that match with {@code rejectWith}, e.g.
     * {@code rejectInput("tcp dport 1433", "tcp reset")} or {@code "icmp type admin-prohibited"}.
     */
    public Firewall rejectInput(String match, String rejectWith) {
        return add("input", "add", match + " counter reject with " + rejectWith);
    }

    /** Inserts, before every other rule, one accepting outbound packets that match (the seed's fix). */
    public Firewall acceptOutput(String match) {
        return add("output", "insert", match + " counter accept comment \"pcapunit lab: allow " + quote(match) + "\"");
    }

    /** Inserts, before every other rule, one accepting inbound packets that match. */
    public Firewall acceptInput(String match) {
        return add("input", "insert", match + " counter accept comment \"pcapunit lab: allow " + quote(match) + "\"");
    }

    /**
     * Adds a raw rule to {@code chain} ("input" or "output"), e.g.
     * {@code rule("input", "ip saddr 10.200.1.10 tcp dport 1433 drop")}.
     */
    public Firewall rule(String chain, String rule) {
        if (!chain.equals("input") && !chain.equals("output")) {
            throw new IllegalArgumentException("chain \"" + chain + "\" does not exist: use \"input\" or \"output\"");
        }
        return add(chain, "add", rule);
    }

    /** Returns {@code nft list table} of this table, e.g. to show in a failure message. */
    public String ruleset() {
        return Commands.run(command("list", "table", "inet", table), null).stdout();
    }

    private Firewall add(String chain, String verb, String rule) {
        String scope = device.isEmpty() ? "" : (chain.equals("output") ? "oifname " : "iifname ") + "\"" + device + "\" ";
        nft(verb + " rule inet " + table + " " + chain + " " + scope + rule + "\n");
        return this;
    }

    private static String quote(String text) {
        return text.replace("\"", "'");
    }

    private void nft(String script) {
        ExecResult result = Commands.exec(command("-f", "-"), script, Commands.DEFAULT_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalArgumentException("nft rejected \"" + script.strip() + "\" in "
                    + (namespace.isEmpty() ? "the root namespace" : "namespace " + namespace) + ": "
                    + result.stderr().strip() + " (write nft rule syntax, e.g. \"tcp dport 1433\")");
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        if (!namespace.isEmpty()) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.add("nft");
        command.addAll(List.of(args));
        return command;
    }
}
